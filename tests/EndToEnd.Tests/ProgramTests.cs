using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>
/// Steps that run external programs (<c>[Runs]</c>, <c>ExternalProgram.Run</c>): the Programs
/// campaign, whose steps run two programs built here from C with the system's compiler.
/// </summary>
public sealed class ProgramTests : IClassFixture<ProgramsHost>, IDisposable
{
    /// <summary>The host's exit codes these tests meet (Cairn.ExitCodes; this project does not reference the runtime).</summary>
    private static class ExitCodes
    {
        public const int Success = 0;
        public const int Usage = 2;
        public const int StepsFailed = 3;
        public const int MissingProgram = 10;
    }

    private readonly ProgramsHost _host;
    private readonly string _store;

    public ProgramTests(ProgramsHost host)
    {
        _host = host;
        _store = Path.Combine(host.Directory, "store-" + Guid.NewGuid().ToString("N"));
        host.BuildProgram("cairn-square", 2);
        host.BuildProgram("cairn-cube", 3);
    }

    public void Dispose()
    {
        if (Directory.Exists(_store))
        {
            Directory.Delete(_store, recursive: true);
        }
    }

    [Fact]
    public void Steps_run_their_programs_in_a_scratch_directory_and_a_failing_or_hung_program_is_the_points_failure()
    {
        string scratch = Shell.TempDirectory("cairn-scratch");
        try
        {
            var run = _host.Run(true, [("CAIRN_SCRATCH", scratch)], "run", "--store", _store);
            Assert.True(run.Exit == ExitCodes.StepsFailed, run.Out + run.Err);
            // Every working directory is gone, the hung program's too.
            Assert.Empty(Directory.GetFileSystemEntries(scratch));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        // The values are what the programs wrote, of every point but 7 (which fails) and 11 (which hangs).
        Dictionary<long, long> squares = Results("square");
        Assert.Equal(Enumerable.Range(0, 20).Where(n => n is not (7 or 11)).Select(n => (long)n), squares.Keys.Order());
        Assert.All(squares, pair => Assert.Equal(pair.Key * pair.Key, pair.Value));

        using JsonDocument status = JsonDocument.Parse(_host.Run(true, "status", "--store", _store, "--json").Out);
        JsonElement[] failures = [.. status.RootElement.GetProperty("failures").EnumerateArray().Where(f => f.GetProperty("step").GetString() == "Square")];
        Assert.Equal(2, failures.Length);
        string failed = Assert.Single(failures, f => f.GetProperty("error_type").GetString() == "Cairn.ProgramFailedException").GetProperty("message").GetString()!;
        Assert.Contains("'cairn-square' exited with code 3", failed, StringComparison.Ordinal);
        Assert.Contains("cannot raise seven to the power 2", failed, StringComparison.Ordinal);
        string hung = Assert.Single(failures, f => f.GetProperty("error_type").GetString() == "Cairn.ProgramTimeoutException").GetProperty("message").GetString()!;
        Assert.Contains("'cairn-square' ran longer than its timeout of 2 s and was killed", hung, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rebuilt_program_recomputes_its_step_and_what_depends_on_it_and_nothing_else()
    {
        Assert.Equal(ExitCodes.StepsFailed, _host.Run(true, "run", "--store", _store).Exit);
        string cube = _host.BuildProgram("cairn-cube", 3, offset: 1);

        using (JsonDocument rebuilt = Report(_host.Run(true, "run", "--store", _store, "--json")))
        {
            Assert.Equal(18, Count(rebuilt, "Cube", "computed"));
            Assert.Equal(0, Count(rebuilt, "Square", "computed"));
            Assert.Equal(18, Count(rebuilt, "Square", "cached"));
            Assert.Equal(1, Count(rebuilt, "Sum", "cached"));
        }

        Assert.All(Results("cube"), pair => Assert.Equal((pair.Key * pair.Key * pair.Key) + 1, pair.Value));

        // The provenance of a result names the program's file and its hash, as sha256sum prints it.
        string sha256 = Shell.Run("sha256sum", _host.Directory, cube).Out.Split(' ')[0];
        Assert.Matches("^[0-9a-f]{64}$", sha256);
        string point = _host.Run(true, "results", "cube", "--store", _store).Out.Split('\n')[1].Split(',')[0];
        var provenance = _host.Run(true, "provenance", "cube", "--point", point, "--store", _store);
        Assert.Contains($"// runs cairn-cube: {cube} sha256 {sha256}", provenance.Out, StringComparison.Ordinal);
        // In W3C PROV, the program is an entity that the step's run used, as the reference library reads it.
        var prov = _host.Run(true, "provenance", "cube", "--point", point, "--store", _store, "--format", "prov-json");
        Assert.True(prov.Exit == 0, prov.Err);
        using (JsonDocument document = JsonDocument.Parse(prov.Out))
        {
            JsonElement program = document.RootElement.GetProperty("entity").GetProperty($"program:{sha256}");
            Assert.Equal("cairn:Program", program.GetProperty("prov:type").GetString());
            Assert.Equal(cube, program.GetProperty("cairn:path").GetString());
            Assert.Contains(document.RootElement.GetProperty("used").EnumerateObject(), u => u.Value.GetProperty("prov:entity").GetString() == $"program:{sha256}");
        }

        string provFile = Path.Combine(_host.Directory, $"prov-{Guid.NewGuid():N}.json");
        File.WriteAllText(provFile, prov.Out);
        var check = Shell.Run("/usr/bin/python3", Path.Combine(Shell.RepositoryRoot, "tests", "tools"), "prov-check.py", provFile);
        Assert.True(check.Exit == 0, "python3-prov could not load the document (the README's test command installs it): " + check.Err);
        using (JsonDocument counts = JsonDocument.Parse(check.Out))
        {
            // The point, the result, the plan and the program; the run used the point and the program.
            Assert.Equal(4, counts.RootElement.GetProperty("counts").GetProperty("prov:Entity").GetInt32());
            Assert.Equal(2, counts.RootElement.GetProperty("counts").GetProperty("prov:Usage").GetInt32());
        }

        // Built again as it was, the program has its first hash again: its first results are current.
        _host.BuildProgram("cairn-cube", 3);
        using JsonDocument back = Report(_host.Run(true, "run", "--store", _store, "--json"));
        Assert.Equal(18, Count(back, "Cube", "cached"));
        Assert.Equal(0, Count(back, "Cube", "computed"));
        Assert.All(Results("cube"), pair => Assert.Equal(pair.Key * pair.Key * pair.Key, pair.Value));
    }

    [Fact]
    public void A_program_that_is_not_found_stops_the_run_before_the_store_is_made()
    {
        var run = _host.Run(false, "run", "--store", _store);

        Assert.Equal(ExitCodes.MissingProgram, run.Exit);
        string line = Assert.Single(run.Err.Trim().Split('\n'));
        Assert.Contains("step 'Square' runs 'cairn-square', but it is not on PATH", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store));

        // Where the programs are not, the verbs that read the store say why the results look not current.
        Assert.Equal(ExitCodes.StepsFailed, _host.Run(true, "run", "--store", _store).Exit);
        foreach (string[] verb in new[] { new[] { "status" }, ["results", "square"] })
        {
            var read = _host.Run(false, [.. verb, "--store", _store]);
            Assert.True(read.Exit == ExitCodes.Success, read.Err);
            Assert.StartsWith("warning: step 'Square' runs 'cairn-square', but it is not on PATH: its results, and those of the steps after it, show as not current here", read.Err, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("warning", _host.Run(true, "status", "--store", _store).Err, StringComparison.Ordinal);
    }

    [Fact]
    public void An_mpi_step_runs_its_program_on_its_ranks_through_the_sites_launcher()
    {
        // The launcher comes from --site here (CAIRN_SITE, which names another file, gives way to it).
        string site = Path.Combine(_host.Directory, "site-" + Guid.NewGuid().ToString("N") + ".toml");
        File.WriteAllText(site, "launcher = \"mpirun --allow-run-as-root --oversubscribe -np {ranks}\"\n");
        var run = _host.Run(true, [("CAIRN_SITE", "/nonexistent/site.toml")], "run", "--store", _store, "--site", site, "--json");
        using (JsonDocument report = Report(run))
        {
            Assert.Equal(20, Count(report, "Spread", "computed"));
            Assert.Equal(0, Count(report, "Spread", "failed"));
        }

        var spread = _host.Run(true, "results", "spread", "--store", _store);
        string[] lines = spread.Out.Trim().Split('\n');
        Assert.Equal("point_id,Sum,Ranks,Said", lines[0]);
        Assert.Equal(20, lines.Length - 1);
        Assert.All(lines.Skip(1), line =>
        {
            string[] cells = line.Split(',');
            long n = long.Parse(cells[3].Split(' ')[0], CultureInfo.InvariantCulture);
            Assert.Equal("2", cells[2]);
            Assert.Equal(n * 3, long.Parse(cells[1], CultureInfo.InvariantCulture)); // n * 1 + n * 2, one share per rank
        });
    }

    [Fact]
    public void A_malformed_site_file_stops_the_run_with_its_line()
    {
        string site = Path.Combine(_host.Directory, "bad-" + Guid.NewGuid().ToString("N") + ".toml");
        File.WriteAllText(site, "# a site\nlauncher = \"mpirun -np 4\"\n");

        var run = _host.Run(true, "run", "--store", _store, "--site", site);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains($"site file {site}, line 2: the launcher \"mpirun -np 4\" has no {{ranks}}", run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store));

        // $CAIRN_SITE naming no file stops the run too, before any point runs, rather than failing each.
        var unnamed = _host.Run(true, [("CAIRN_SITE", "/nonexistent/site.toml")], "run", "--store", _store);
        Assert.Equal(ExitCodes.Usage, unnamed.Exit);
        Assert.StartsWith("error: cannot read the site file /nonexistent/site.toml: ", unnamed.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store));
    }

    [Fact]
    public void On_slurm_a_task_asks_for_the_cores_of_the_mpi_step_and_its_program_starts_through_srun()
    {
        // The launcher is srun, through a script that notes each start first, where the tasks can write.
        string name = Guid.NewGuid().ToString("N");
        string starts = Path.Combine(_host.Directory, "srun-" + name + ".log");
        string srun = Path.Combine(_host.Directory, "srun-" + name);
        File.WriteAllText(srun, $"#!/bin/sh\necho \"$SLURM_JOB_ID $*\" >> {starts}\nexec srun \"$@\"\n");
        Assert.Equal(0, Shell.Run("chmod", _host.Directory, "u+x", srun).Exit);
        string site = Path.Combine(_host.Directory, "srun-" + name + ".toml");
        File.WriteAllText(site, $"# the local Slurm: srun starts the ranks inside the task's allocation\nlauncher = \"{srun} --mpi=pmix -n {{ranks}}\"\n");
        (string, string)[] cache = [("CAIRN_NODE_CACHE", Path.Combine(_host.Directory, "host.node"))];

        var submit = _host.Run(true, cache, "submit", "--slurm", "--store", _store, "--site", site, "--points-per-task", "10", "--time", "10m");
        Assert.True(submit.Exit == 0, submit.Out + submit.Err);
        // Spread needs two ranks of one core: each task asks for two cores.
        Assert.Contains("#SBATCH --cpus-per-task=2\n", File.ReadAllText(Path.Combine(_store, "slurm", "1", "array-0.sh")), StringComparison.Ordinal);

        JsonElement status = default;
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            var asked = _host.Run(true, cache, "status", "--store", _store, "--json");
            Assert.True(asked.Exit == 0, asked.Err);
            status = JsonDocument.Parse(asked.Out).RootElement.Clone();
            if (status.GetProperty("jobs").GetArrayLength() == 0)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the submission did not finish within 10 minutes: " + asked.Out);
            Thread.Sleep(1000);
        }

        JsonElement steps = status.GetProperty("steps");
        Assert.Equal(20, steps.GetProperty("Spread").GetProperty("done").GetInt64());
        Assert.Equal(18, steps.GetProperty("Square").GetProperty("done").GetInt64());
        Assert.Equal(1, steps.GetProperty("Sum").GetProperty("done").GetInt64());
        string[] lines = _host.Run(true, "results", "spread", "--store", _store).Out.Trim().Split('\n');
        Assert.Equal(21, lines.Length);
        // Each point's program was started by srun, inside a task (a job of its own), with its ranks.
        string[] started = File.ReadAllLines(starts);
        Assert.Equal(20, started.Length);
        Assert.All(started, line => Assert.Matches("^[0-9]+ --mpi=pmix -n 2 .*/cairn-spread in.txt out.txt$", line));
        Assert.All(lines.Skip(1), line =>
        {
            string[] cells = line.Split(',');
            Assert.Equal("2", cells[2]);
            Assert.Equal(long.Parse(cells[3].Split(' ')[0], CultureInfo.InvariantCulture) * 3, long.Parse(cells[1], CultureInfo.InvariantCulture));
        });
    }

    [Fact]
    public void A_file_the_program_wrote_is_kept_in_the_products_shard_and_extracted_on_demand()
    {
        Assert.Equal(ExitCodes.StepsFailed, _host.Run(true, "run", "--store", _store).Exit);

        // One shard holds the files of all the points: a binary column, as an independent reader sees it.
        string shard = Assert.Single(Directory.GetFiles(Path.Combine(_store, "results", "square")));
        var read = Shell.Run("node", Path.Combine(Shell.RepositoryRoot, "tests", "tools"), "parquet-read.mjs", shard);
        Assert.True(read.Exit == 0, "DuckDB could not read the shard (the README's test command installs it): " + read.Err);
        using JsonDocument parquet = JsonDocument.Parse(read.Out);
        Assert.Contains(parquet.RootElement.GetProperty("columns").EnumerateArray(), c => c.GetProperty("name").GetString() == "Out" && c.GetProperty("type").GetString() == "BLOB");
        Assert.Equal(18, parquet.RootElement.GetProperty("rows").GetArrayLength());

        string extracted = Path.Combine(_host.Directory, "extracted-" + Guid.NewGuid().ToString("N"));
        var results = _host.Run(true, "results", "square", "--store", _store, "--extract", extracted);
        Assert.True(results.Exit == 0, results.Err);
        string[] lines = results.Out.Trim().Split('\n');
        Assert.Equal("point_id,Value,Said,Out", lines[0]);
        Assert.Equal(18, lines.Length - 1);
        Assert.All(lines.Skip(1), line =>
        {
            string[] cells = line.Split(',');
            Assert.Equal(Path.Combine(extracted, cells[0] + ".Out"), cells[3]);
            Assert.Equal(cells[1] + "\n", File.ReadAllText(cells[3]));
        });
        Assert.Equal(18, Directory.GetFiles(extracted).Length);
    }

    /// <summary>A product's current values by the number each point raised (read from what the program said).</summary>
    private Dictionary<long, long> Results(string product)
    {
        var results = _host.Run(true, "results", product, "--store", _store);
        Assert.True(results.Exit == 0, results.Err);
        string[] lines = results.Out.Trim().Split('\n');
        Assert.Equal("point_id,Value,Said,Out", lines[0]);
        return lines.Skip(1).Select(l => l.Split(',')).ToDictionary(
            cells => long.Parse(cells[2].Split(' ')[0], CultureInfo.InvariantCulture),
            cells => long.Parse(cells[1], CultureInfo.InvariantCulture));
    }

    private static JsonDocument Report((int Exit, string Out, string Err) run)
    {
        Assert.True(run.Exit is ExitCodes.Success or ExitCodes.StepsFailed, run.Out + run.Err);
        return JsonDocument.Parse(run.Out);
    }

    private static long Count(JsonDocument report, string step, string what) =>
        report.RootElement.GetProperty("steps").GetProperty(step).GetProperty(what).GetInt64();
}
