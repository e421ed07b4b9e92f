using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>A whole campaign stored as HDF5 (<c>run --format hdf5</c>), read by the typed readers and by h5py.</summary>
[Collection("campaign")]
public sealed class Hdf5CampaignTests : IDisposable
{
    private readonly TempStore _hdf5 = new();
    private readonly TempStore _parquet = new();

    public Hdf5CampaignTests() => TestSteps.PointCount = 40;

    public void Dispose()
    {
        _hdf5.Dispose();
        _parquet.Dispose();
    }

    [Fact]
    public void Points_and_products_go_to_hdf5_and_read_back_as_a_parquet_store_does()
    {
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _hdf5.Root, "--format", "hdf5").Exit);
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _parquet.Root).Exit);

        Assert.All(new[] { "points", "results/square", "results/shift", "results/total" }, dir =>
            Assert.All(_hdf5.Files(dir), f => Assert.EndsWith(".h5", f, StringComparison.Ordinal)));
        Assert.NotEmpty(_hdf5.Files("results/square"));
        Assert.All(_hdf5.Files("provenance"), f => Assert.EndsWith(".parquet", f, StringComparison.Ordinal));
        Assert.All(_parquet.Files("results/square"), f => Assert.EndsWith(".parquet", f, StringComparison.Ordinal));
        Assert.All(_parquet.Files("results/shift"), f => Assert.EndsWith(".h5", f, StringComparison.Ordinal));

        static string Text<T>(System.Collections.Generic.IReadOnlyList<Result<T>> results) =>
            string.Join("\n", results.Select(r => $"{r.Point} {JsonSerializer.Serialize(r.Value)}"));
        Assert.Equal(Text(Campaign.Results.Square(_parquet.Root)), Text(Campaign.Results.Square(_hdf5.Root)));
        Assert.Equal(Text(Campaign.Results.Points(_parquet.Root)), Text(Campaign.Results.Points(_hdf5.Root)));
        Assert.Equal(Campaign.Results.Total(_parquet.Root), Campaign.Results.Total(_hdf5.Root));
        Assert.Equal(36, Campaign.Results.Square(_hdf5.Root).Count);

        // A second run finds everything stored: the keys read back from HDF5 match.
        var (exit, json, _) = Cli.Run("run", "--store", _hdf5.Root, "--format", "hdf5", "--json");
        Assert.Equal(ExitCodes.StepsFailed, exit);
        using JsonDocument report = JsonDocument.Parse(json);
        Assert.Equal(0, report.RootElement.GetProperty("steps").GetProperty("Square").GetProperty("computed").GetInt32());
        Assert.Equal(36, report.RootElement.GetProperty("steps").GetProperty("Square").GetProperty("cached").GetInt32());
    }

    [Fact]
    public void H5py_reads_a_grouped_product_a_row_per_group_with_its_column_beside_the_outputs()
    {
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _hdf5.Root, "--format", "hdf5").Exit);
        string shard = Assert.Single(_hdf5.Files("results/phases"));

        using JsonDocument file = Tools.RunJson("/usr/bin/python3", "h5-read.py", shard, "h5py could not read the shard (the README's test command installs python3-h5py)");
        JsonElement sets = file.RootElement.GetProperty("datasets");
        string[] phases = [.. sets.GetProperty("phases/Phase").GetProperty("values").EnumerateArray().Select(v => v.GetString()!)];
        int[] counts = [.. sets.GetProperty("phases/Count").GetProperty("values").EnumerateArray().Select(v => v.GetInt32())];

        var typed = Campaign.Results.Phases(_hdf5.Root);
        Assert.Equal(typed.Keys.Select(k => k.ToString()).Order(), phases.Order());
        Assert.All(phases.Zip(counts), pair => Assert.Equal(typed[Enum.Parse<Phase>(pair.First)].Count, pair.Second));
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _parquet.Root).Exit);
        Assert.Equal(Campaign.Results.Phases(_parquet.Root), typed);
    }

    [Fact]
    public void H5py_reads_the_same_values_as_the_typed_reader()
    {
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _hdf5.Root, "--format", "hdf5").Exit);
        string shard = Assert.Single(_hdf5.Files("results/square"));

        using JsonDocument file = Tools.RunJson("/usr/bin/python3", "h5-read.py", shard, "h5py could not read the shard (the README's test command installs python3-h5py)");
        JsonElement sets = file.RootElement.GetProperty("datasets");
        JsonElement group = file.RootElement.GetProperty("groups").GetProperty("square");
        Assert.Equal("Square", group.GetProperty("cairn.step").GetString());
        Assert.Equal(Campaign.Definition.Graph.Steps[0].CodeHash, group.GetProperty("cairn.code_hash").GetString());
        Assert.Equal(new Cairn.Execution.KeyChain(Campaign.Definition.Graph).Signature(0).ToString(), group.GetProperty("cairn.key_chain").GetString());
        Assert.False(string.IsNullOrEmpty(group.GetProperty("cairn.version").GetString()));

        string[] ids = sets.GetProperty("square/point_id").GetProperty("values").EnumerateArray().Select(v => v.GetString()!).ToArray();
        double[] values = sets.GetProperty("square/Value").GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        long[] digits = sets.GetProperty("square/Digits/values").GetProperty("values").EnumerateArray().Select(v => v.GetInt64()).ToArray();
        long[] offsets = sets.GetProperty("square/Digits/offsets").GetProperty("values").EnumerateArray().Select(v => v.GetInt64()).ToArray();
        string[] phases = sets.GetProperty("square/Phase").GetProperty("values").EnumerateArray().Select(v => v.GetString()!).ToArray();
        long[] stamps = sets.GetProperty("square/Stamp").GetProperty("values").EnumerateArray().Select(v => v.GetInt64()).ToArray();

        var typed = Campaign.Results.Square(_hdf5.Root).ToDictionary(r => r.Point.ToString(), r => r.Value);
        Assert.Equal(typed.Count, ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            Squared expected = typed[ids[i]];
            Assert.Equal(expected.Value, values[i]);
            Assert.Equal(expected.Digits, digits[(int)offsets[i]..(int)offsets[i + 1]]);
            Assert.Equal(expected.Phase.ToString(), phases[i]);
            Assert.Equal(expected.Stamp.Ticks - DateTime.UnixEpoch.Ticks, stamps[i]);
        }
    }

    [Fact]
    public void A_store_keeps_the_format_it_was_created_with_and_says_so_when_asked_for_another()
    {
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _hdf5.Root, "--format", "hdf5").Exit);

        var (exit, _, stderr) = Cli.Run("run", "--store", _hdf5.Root, "--format", "parquet");

        Assert.Equal(ExitCodes.StepsFailed, exit);
        Assert.Equal($"warning: {_hdf5.Root} was created with --format hdf5 and keeps it; --format parquet applies to a new store (give --store a new directory for one).", stderr.TrimEnd());
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(_hdf5.Root, "points")), f => f.EndsWith(".parquet", StringComparison.Ordinal));
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_hdf5.Root, "campaign.json")));
        Assert.Equal("hdf5", manifest.RootElement.GetProperty("container").GetString());
    }
}

/// <summary>Reading a store while a campaign writes it: committed shards only, never a torn file.</summary>
[Collection("campaign")]
public sealed class LiveReadingTests : IDisposable
{
    private readonly TempStore _store = new();

    public LiveReadingTests() => TestSteps.PointCount = 1000;

    public void Dispose() => _store.Dispose();

    [Fact]
    public async System.Threading.Tasks.Task The_typed_reader_and_h5py_read_committed_results_while_the_run_commits_and_compacts_more()
    {
        var options = new Cairn.Execution.RunOptions
        {
            Store = _store.Root, Workers = 1, RowsPerShard = 50, FlushPoints = 10, MaxChunkSize = 10, CommitInterval = TimeSpan.Zero,
        };
        var run = System.Threading.Tasks.Task.Run(() => new Cairn.Execution.LocalExecutor<TestPoint>(Campaign.Definition, options).Run());
        var counts = new System.Collections.Generic.List<int>();
        int h5pyReads = 0;
        while (!run.IsCompleted || counts.Count == 0)
        {
            if (!Directory.Exists(Path.Combine(_store.Root, "results", "shift")))
            {
                System.Threading.Thread.Sleep(5);
                continue;
            }

            // The typed reader (HDF5 shift, Parquet square) sees whole shards only: every value is right.
            var shifted = Campaign.Results.Shift(_store.Root);
            var index = Campaign.Results.Points(_store.Root).ToDictionary(p => p.Point, p => p.Value.Index);
            Assert.All(shifted, r => Assert.Equal(((double)index[r.Point] * index[r.Point]) - index[r.Point], r.Value.Value));
            counts.Add(shifted.Count);
            System.Threading.Thread.Sleep(20);

            // h5py opens a committed shard while the run writes others (one may be compacted away meanwhile).
            string? shard = Directory.GetFiles(Path.Combine(_store.Root, "results", "shift"), "*.h5").FirstOrDefault();
            if (shard is not null && h5pyReads < 3)
            {
                var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", [Path.Combine(Tools.Directory, "h5-read.py"), shard]) { RedirectStandardOutput = true, RedirectStandardError = true };
                using var python = System.Diagnostics.Process.Start(start)!;
                string output = python.StandardOutput.ReadToEnd();
                string error = python.StandardError.ReadToEnd();
                python.WaitForExit();
                Assert.True(python.ExitCode == 0 || !File.Exists(shard), error);
                if (python.ExitCode == 0)
                {
                    using JsonDocument file = JsonDocument.Parse(output);
                    Assert.True(file.RootElement.GetProperty("datasets").GetProperty("shift/Value").GetProperty("shape")[0].GetInt32() > 0);
                    h5pyReads++;
                }
            }
        }

        Assert.Equal(1000, (await run).Points);
        Assert.Equal(900, Campaign.Results.Shift(_store.Root).Count);
        Assert.True(counts.Zip(counts.Skip(1)).All(p => p.First <= p.Second), string.Join(" ", counts));
        Assert.True(h5pyReads > 0, "h5py never read a shard while the run was going");
    }
}
