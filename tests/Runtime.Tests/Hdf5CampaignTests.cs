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
    public void H5py_reads_the_same_values_as_the_typed_reader()
    {
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _hdf5.Root, "--format", "hdf5").Exit);
        string shard = Assert.Single(_hdf5.Files("results/square"));

        using JsonDocument file = Tools.RunJson("/usr/bin/python3", "h5-read.py", shard, "h5py could not read the shard (the README's test command installs python3-h5py)");
        JsonElement sets = file.RootElement.GetProperty("datasets");
        JsonElement group = file.RootElement.GetProperty("groups").GetProperty("square");
        Assert.Equal("Square", group.GetProperty("cairn.step").GetString());
        Assert.Equal(Campaign.Definition.Graph.Steps[0].CodeHash, group.GetProperty("cairn.code_hash").GetString());
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
    public void A_store_keeps_the_format_it_was_created_with()
    {
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _hdf5.Root, "--format", "hdf5").Exit);
        var before = _hdf5.Snapshot();

        var (exit, _, stderr) = Cli.Run("run", "--store", _hdf5.Root, "--format", "parquet");

        Assert.Equal(ExitCodes.Store, exit);
        Assert.Equal($"error: {_hdf5.Root} was created with --format hdf5, and its results stay in that format; run without --format parquet, or give --store a new directory.", stderr.TrimEnd());
        Assert.Equal(before, _hdf5.Snapshot());

        // Without --format, the store's own format is used.
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _hdf5.Root).Exit);
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(_hdf5.Root, "points")), f => f.EndsWith(".parquet", StringComparison.Ordinal));
    }
}
