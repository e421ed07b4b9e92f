using System;
using System.IO;
using System.Linq;
using Cairn.Hosting;
using Xunit;

namespace Cairn.Runtime.Tests;

[Collection("campaign")]
public sealed class BadInputTests : IDisposable
{
    private readonly TempStore _store = new();

    public BadInputTests() => TestSteps.PointCount = 30;

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData(new string[0], "error: Required command was not provided.", "")]
    [InlineData(new[] { "frobnicate" }, "error: Unrecognized command or argument 'frobnicate'.", "")]
    [InlineData(new[] { "run", "--stor", "x" }, "error: Unrecognized command or argument '--stor'.", "run ")]
    [InlineData(new[] { "run", "--workers", "0" }, "error: option '--workers' takes a whole number above 0, not '0'", "run ")]
    [InlineData(new[] { "run", "--store" }, "error: Required argument missing for option: '--store'.", "run ")]
    [InlineData(new[] { "run", "--store", "" }, "error: option '--store' takes a directory, not ''; leave it out for ./campaign", "run ")]
    [InlineData(new[] { "status", "--store", " " }, "error: option '--store' takes a directory, not ' '; leave it out for ./campaign", "status ")]
    [InlineData(new[] { "graph", "--format", "dot" }, "error: option '--format' must be one of text, mermaid, not 'dot'", "graph ")]
    [InlineData(new[] { "run", "--step-timeout", "soon" }, "error: option '--step-timeout' takes a duration such as 30m, 2h, 90s, 45 (minutes), 1:30:00 or 1-12:00:00, not 'soon'", "run ")]
    [InlineData(new[] { "submit", "--slurm", "--mem", "4X" }, "error: option '--mem' takes a size such as 4000, 500M or 4G (MiB when no unit is given), not '4X'", "submit ")]
    [InlineData(new[] { "submit", "--slurm", "--partition", "a b" }, "error: option '--partition' takes a Slurm name (letters, digits, '_', '-', '.'), not 'a b'", "submit ")]
    [InlineData(new[] { "retry", "--slurm", "--mem-factor", "0.5" }, "error: option '--mem-factor' takes a factor from 1 to 100, such as 1.5 or 2, not '0.5'", "retry ")]
    [InlineData(new[] { "submit", "--slurm", "--mem-factor", "3" }, "error: Unrecognized command or argument '--mem-factor'.", "submit ")]
    [InlineData(new[] { "results" }, "error: Required argument 'product' missing for command: 'results'.", "results ")]
    [InlineData(new[] { "results", "nope" }, "error: no product 'nope'; the products are: square, shift, total, mean, phases, balance", "results ")]
    public void Usage_errors_print_one_line_and_where_help_is_and_exit_2(string[] args, string message, string verb)
    {
        var (exit, stdout, stderr) = Cli.Run(args);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(message, stderr.Split('\n')[0]);
        Assert.EndsWith($" {verb}--help' lists what it takes)\n", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Theory]
    [InlineData(new[] { "rnu" }, "'rnu': did you mean run?")]
    [InlineData(new[] { "stauts", "--json" }, "'stauts': did you mean status?")]
    [InlineData(new[] { "run", "--stor", "x" }, "'--stor': did you mean --store?")]
    [InlineData(new[] { "results", "square", "--with-point" }, "'--with-point': did you mean --with-points?")]
    public void A_misspelt_verb_or_option_is_answered_with_the_one_meant(string[] args, string suggestion)
    {
        var (exit, _, stderr) = Cli.Run(args);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(suggestion + "\n", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n'), line => line.StartsWith("error:", StringComparison.Ordinal)); // not also for the misspelt option's value
    }

    [Theory]
    [InlineData("a/../../evil", "contains the path separator '/'")]
    [InlineData("", "is empty")]
    [InlineData("..", "starts with '.'")]
    public void A_product_name_that_leads_out_of_the_store_is_refused_before_anything_is_written(string product, string problem)
    {
        var hostile = new EditedCampaign(Campaign.Definition, s => s.Name switch
        {
            "Square" => s with { Product = product },
            "Shift" => s with { Inputs = [new StepInput(product, false)] },
            _ => s,
        });
        string outside = Path.GetFullPath(Path.Combine(_store.Root, "results", product));

        var (exit, _, stderr) = Cli.RunWith(hostile, "run", "--store", _store.Root);

        Assert.Equal(ExitCodes.Store, exit);
        Assert.Equal($"error: the product name '{product}' {problem}, so it cannot name a directory of the store; rename it with letters, digits, '_', '-' and '.' (not first).", stderr.TrimEnd());
        Assert.False(Directory.Exists(outside) && Directory.EnumerateFiles(outside, "*.parquet").Any(), $"shards were written to {outside}");
        Assert.Empty(Directory.GetFiles(_store.Root, "*.parquet", SearchOption.AllDirectories));
    }

    [Fact]
    public void Points_whose_strings_differ_by_an_unpaired_surrogate_stay_apart_and_fail_as_INVALID_TEXT()
    {
        TestSteps.PointCount = 10;
        TestSteps.Labels = i => i < 4 ? "p" + (char)(0xD800 + (i * 0x200)) : $"p{i}";
        try
        {
            var (exit, stdout, stderr) = Cli.Run("run", "--store", _store.Root, "--json");

            Assert.True(exit == ExitCodes.StepsFailed, stderr);
            using var report = System.Text.Json.JsonDocument.Parse(stdout);
            Assert.Equal(10, report.RootElement.GetProperty("points").GetInt64());
            Assert.Equal(3, report.RootElement.GetProperty("duplicate_points").GetInt64());
            Assert.Equal(5, report.RootElement.GetProperty("steps").GetProperty("Square").GetProperty("failed").GetInt64());
            Assert.Equal(5, report.RootElement.GetProperty("steps").GetProperty("Shift").GetProperty("skipped").GetInt64());

            var (_, status, _) = Cli.Run("status", "--store", _store.Root, "--json");
            using var statusJson = System.Text.Json.JsonDocument.Parse(status);
            Assert.Equal(4, statusJson.RootElement.GetProperty("failure_causes").GetProperty("INVALID_TEXT").GetInt32());
            var (_, text, _) = Cli.Run("status", "--store", _store.Root);
            Assert.Contains("not valid UTF-16 (an unpaired surrogate at index 1)", text, StringComparison.Ordinal);
            // The points table holds only what it can hold as it is.
            var (_, points, _) = Cli.Run("results", "square", "--store", _store.Root, "--with-points");
            Assert.DoesNotContain('\uFFFD', points);
        }
        finally
        {
            TestSteps.Labels = null;
        }
    }

    [Fact]
    public void Flipped_bytes_in_a_value_column_are_found_by_verify_refused_by_results_and_computed_again_by_run_skip_corrupt()
    {
        TestSteps.PointCount = 100;
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _store.Root).Exit);
        string shard = Assert.Single(_store.Files("results/square"));
        // Column chunks lie one after the other from byte 4 ("PAR1"): flip one byte 3 bytes before the
        // end of the 'Value' column's chunk, in the body of its last page (rows come in whatever order
        // the workers finished them, so where a page header lies varies; the last body does not).
        long end = 4;
        using (var reader = new ParquetSharp.ParquetFileReader(shard))
        using (ParquetSharp.RowGroupReader group = reader.RowGroup(0))
        {
            ParquetSharp.Schema.GroupNode root = reader.FileMetaData.Schema.GroupNode;
            int value = Array.FindIndex(root.Fields, f => f.Name == "Value");
            for (int column = 0; column <= value; column++)
            {
                end += group.MetaData.GetColumnChunkMetaData(column).TotalCompressedSize;
            }
        }

        byte[] bytes = File.ReadAllBytes(shard);
        bytes[end - 3] ^= 0x10;
        File.WriteAllBytes(shard, bytes);
        var damaged = _store.Snapshot();

        var (verified, report, _) = Cli.Run("verify", "--store", _store.Root);
        Assert.Equal(ExitCodes.Store, verified);
        Assert.StartsWith($"damaged: {shard}: ", report, StringComparison.Ordinal);
        Assert.Contains("checksum", report, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("1 damaged", report, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Store, Cli.Run("results", "square", "--store", _store.Root).Exit);

        var (exit, json, warnings) = Cli.Run("run", "--store", _store.Root, "--skip-corrupt", "--json");
        Assert.True(exit == ExitCodes.StepsFailed, warnings);
        Assert.Contains($"left out, and what it held is computed again (the file stays as it is): {shard}", warnings, StringComparison.Ordinal);
        using var run = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(90, run.RootElement.GetProperty("steps").GetProperty("Square").GetProperty("computed").GetInt64());
        Assert.Equal(damaged.Single(f => f.Path == shard), _store.Snapshot().Single(f => f.Path == shard));
        var (_, csv, _) = Cli.Run("results", "square", "--store", _store.Root, "--skip-corrupt", "--with-points");
        string[] rows = csv.Trim().Split('\n');
        int index = Array.IndexOf(rows[0].Split(','), "Index");
        int valueColumn = Array.IndexOf(rows[0].Split(','), "Value");
        Assert.Equal(90, rows.Length - 1);
        Assert.All(rows.Skip(1).Select(r => r.Split(',')), f => Assert.Equal(double.Parse(f[index], System.Globalization.CultureInfo.InvariantCulture) * double.Parse(f[index], System.Globalization.CultureInfo.InvariantCulture), double.Parse(f[valueColumn], System.Globalization.CultureInfo.InvariantCulture)));
        // The damaged file stays until it is moved out: verify still names it.
        Assert.Equal(ExitCodes.Store, Cli.Run("verify", "--store", _store.Root, "--json").Exit);
    }

    [Fact]
    public void A_store_path_too_long_for_the_files_inside_it_is_a_usage_error()
    {
        string longName = "/tmp/" + new string('a', 256) + "/store";
        string deep = "/tmp" + string.Concat(Enumerable.Repeat("/" + new string('d', 200), 19));

        var (exit, _, stderr) = Cli.Run("run", "--store", longName);
        var (deepExit, _, deepError) = Cli.Run("run", "--store", deep);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("error: a directory name of the store path is 256 bytes long, more than the system's limit of 255; give --store a path of shorter names", stderr.Split('\n')[0]);
        Assert.Equal(ExitCodes.Usage, deepExit);
        Assert.Equal("error: the store path is 3823 bytes long, and the files inside it would pass the system's limit of 4096; give --store a path of at most 3796 bytes", deepError.Split('\n')[0]);
        Assert.False(Directory.Exists(longName) || Directory.Exists(deep));
    }

    [Fact]
    public void Help_lists_the_verbs_and_the_exit_codes_and_each_verb_its_options()
    {
        var (exit, stdout, _) = Cli.Run("help");
        Assert.Equal(0, exit);
        Assert.Matches(@"\n  results <product>\s+print one product's current results\n", stdout);
        Assert.Contains("Exit codes: 0 done, 1 error, 2 usage", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("worker", stdout, StringComparison.Ordinal); // run by batch scripts, not by people
        Assert.Equal(stdout, Cli.Run("--help").Out);

        var (verbExit, verbHelp, _) = Cli.Run("report", "-h");
        Assert.Equal(0, verbExit);
        Assert.Matches(@"\n  --x <P>\s+the point parameter the result plots are drawn against\n", verbHelp);
        Assert.DoesNotContain("Exit codes", verbHelp, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_extract_refuses_a_place_that_cannot_be_a_directory()
    {
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _store.Root).Exit);
        string file = Path.Combine(_store.Root, "campaign.json");

        var (exit, stdout, stderr) = Cli.Run("results", "square", "--store", _store.Root, "--extract", file);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.StartsWith($"error: option '--extract' takes a directory to write the files into; {file} cannot be one: ", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Theory]
    [InlineData("results", "--help", "results <product>")]
    [InlineData("provenance", "-h", "provenance <product>")]
    public void A_verbs_help_is_shown_though_the_line_lacks_what_the_verb_needs(string verb, string help, string usage)
    {
        // The usage error of "results" sends the user to "results --help": that must answer.
        var (refused, _, error) = Cli.Run(verb);
        Assert.Equal(ExitCodes.Usage, refused);
        Assert.Contains($" {verb} --help' lists what it takes)", error, StringComparison.Ordinal);
        var (exit, stdout, stderr) = Cli.Run(verb, help);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
        Assert.Contains(usage, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_suggest_directive_completes_verbs_options_and_choices_for_a_shell()
    {
        static string[] Complete(string line) =>
            Cli.Run($"[suggest:{line.Length}]", line).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["status"], Complete("sta"));
        Assert.Equal(["--step-timeout", "--store"], Complete("host run --st"));
        Assert.Equal(["csv", "json"], Complete("results square --format "));
    }

    [Fact]
    public void Workers_beyond_64_per_core_are_a_usage_error_that_names_the_bound()
    {
        int most = 64 * Environment.ProcessorCount;

        var (exit, _, stderr) = Cli.Run("run", "--store", _store.Root, "--workers", "32768");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal($"error: option '--workers' takes at most {most} on this machine ({Environment.ProcessorCount} cores), not '32768'; a worker is a thread, and more than the cores only helps steps that wait", stderr.Split('\n')[0]);
        Assert.False(Directory.Exists(_store.Root));
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _store.Root, "--workers", most.ToString(System.Globalization.CultureInfo.InvariantCulture)).Exit);
    }

    [Fact]
    public void A_store_path_that_is_a_file_is_refused_with_one_line_and_the_file_is_left_as_it_is()
    {
        File.WriteAllText(_store.Root, "precious");

        try
        {
            foreach (string verb in new[] { "run", "status", "compact" })
            {
                var (exit, _, stderr) = Cli.Run(verb, "--store", _store.Root);

                Assert.Equal(ExitCodes.Store, exit);
                Assert.Equal($"error: {_store.Root} is a file, not a directory; give --store a directory (a new or empty one for a new campaign).", stderr.TrimEnd());
            }

            Assert.Equal("precious", File.ReadAllText(_store.Root));
        }
        finally
        {
            File.Delete(_store.Root);
        }
    }

    [Theory]
    [InlineData("/proc/cairn-store")]
    [InlineData("/dev/null/cairn-store")]
    public void A_store_that_cannot_be_made_is_refused_with_one_line_that_says_what_to_do(string root)
    {
        var (exit, _, stderr) = Cli.Run("run", "--store", root);

        Assert.Equal(ExitCodes.Store, exit);
        Assert.StartsWith($"error: cannot make a store at {root} (", stderr, StringComparison.Ordinal);
        Assert.EndsWith("); give --store a directory you can create and write in.", stderr.TrimEnd(), StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void A_store_of_another_campaign_is_refused_and_left_as_it_is()
    {
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _store.Root).Exit);
        string manifest = Path.Combine(_store.Root, "campaign.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"campaign\": \"Cairn.Runtime.Tests\"", "\"campaign\": \"Ising\"", StringComparison.Ordinal));
        var before = _store.Snapshot();

        foreach (string verb in new[] { "run", "status" })
        {
            var (exit, _, stderr) = Cli.Run(verb, "--store", _store.Root);

            Assert.Equal(ExitCodes.Store, exit);
            Assert.Equal($"error: {_store.Root} holds campaign 'Ising', not 'Cairn.Runtime.Tests'; give --store a new directory for this campaign.", stderr.TrimEnd());
        }

        Assert.Equal(before, _store.Snapshot());
    }

    [Fact]
    public void A_directory_that_is_not_a_store_is_refused()
    {
        Directory.CreateDirectory(_store.Root);
        File.WriteAllText(Path.Combine(_store.Root, "thesis.tex"), "precious");

        var (exit, _, stderr) = Cli.Run("run", "--store", _store.Root);

        Assert.Equal(ExitCodes.Store, exit);
        Assert.Contains("is not empty and has no campaign.json", stderr, StringComparison.Ordinal);
        Assert.Equal("precious", File.ReadAllText(Path.Combine(_store.Root, "thesis.tex")));
        Assert.Single(Directory.GetFileSystemEntries(_store.Root));
    }

    [Fact]
    public void Reading_a_missing_store_says_to_run_first()
    {
        var (exit, _, stderr) = Cli.Run("status", "--store", _store.Root);

        Assert.Equal(ExitCodes.Store, exit);
        Assert.Equal($"error: no store at {_store.Root}: run the campaign first ('run --store {_store.Root}').", stderr.TrimEnd());
        Assert.False(Directory.Exists(_store.Root));
    }

    [Theory]
    [InlineData("results/shift", "run")] // HDF5
    [InlineData("results/square", "results")] // Parquet
    [InlineData("points", "run")]
    public void A_truncated_shard_is_named_and_nothing_in_the_store_is_modified_or_deleted(string directory, string verb)
    {
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _store.Root).Exit);
        string shard = _store.Files(directory).Single();
        byte[] bytes = File.ReadAllBytes(shard);
        File.WriteAllBytes(shard, bytes[..(bytes.Length / 2)]);
        var before = _store.Snapshot();

        string[] args = verb == "results" ? ["results", "square", "--store", _store.Root] : [verb, "--store", _store.Root];
        var (exit, _, stderr) = Cli.Run(args);

        Assert.Equal(ExitCodes.Store, exit);
        string line = Assert.Single(stderr.TrimEnd().Split('\n'));
        string format = shard.EndsWith(".h5", StringComparison.Ordinal) ? "HDF5" : "Parquet";
        Assert.StartsWith($"error: {shard}: is not a readable {format} file of this campaign (truncated or corrupt?)", line, StringComparison.Ordinal);
        // The library's words, not the C++ or .NET types that carry them.
        Assert.DoesNotMatch(@"N\d+parquet|Exception|\.\.", line);
        Assert.EndsWith("Move the file out of the store to go on (Cairn never deletes committed files); its results will then be computed again.", line, StringComparison.Ordinal);
        Assert.Equal(before, _store.Snapshot());
    }

    [Fact]
    public void A_shard_with_other_columns_is_another_version_passed_over_and_kept()
    {
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _store.Root).Exit);
        string square = _store.Files("results/square").Single();
        string shift = _store.Files("results/shift").Single();
        Assert.EndsWith(".h5", shift, StringComparison.Ordinal);
        string other = Path.Combine(Path.GetDirectoryName(shift)!, "other.parquet");
        File.Copy(square, other);

        var (exit, stdout, stderr) = Cli.Run("run", "--store", _store.Root, "--json");

        // As after a change to the output type: the rows of another schema are none of them current.
        Assert.True(exit == ExitCodes.StepsFailed, stderr);
        using var report = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal(27, report.RootElement.GetProperty("steps").GetProperty("Shift").GetProperty("cached").GetInt64());
        Assert.Equal(0, report.RootElement.GetProperty("steps").GetProperty("Shift").GetProperty("computed").GetInt64());
        // Kept, and moved out of the product's directory, so that readers of results/shift see current rows only.
        Assert.False(File.Exists(other));
        Assert.Equal(File.ReadAllBytes(square), File.ReadAllBytes(Path.Combine(_store.Root, "history", "results", "shift", "other.parquet")));
        Assert.Equal(27, Cli.Run("results", "shift", "--store", _store.Root).Out.Trim().Split('\n').Length - 1);
    }
}
