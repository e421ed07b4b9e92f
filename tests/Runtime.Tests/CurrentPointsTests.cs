using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>
/// The campaign's points are what [Points] yields now: after the grid shrinks, status, results, the
/// typed readers and the reduction cover the remaining points only; the others keep their results,
/// which are current again, not computed again, once the grid grows back.
/// </summary>
[Collection("campaign")]
public sealed class CurrentPointsTests : IDisposable
{
    private readonly TempStore _store = new();

    public CurrentPointsTests()
    {
        TestSteps.PointCount = 100;
        TestSteps.ResetCalls();
    }

    public void Dispose()
    {
        TestSteps.PointCount = 100;
        _store.Dispose();
    }

    private JsonDocument Json(params string[] args)
    {
        var (exit, stdout, stderr) = Cli.Run([.. args, "--store", _store.Root, "--json"]);
        Assert.True(exit is ExitCodes.Success or ExitCodes.StepsFailed, stderr);
        return JsonDocument.Parse(stdout);
    }

    private static long Count(JsonDocument report, string step, string what) =>
        report.RootElement.GetProperty("steps").GetProperty(step).GetProperty(what).GetInt64();

    private int ResultRows(string product) =>
        Cli.Run("results", product, "--store", _store.Root).Out.TrimEnd().Split('\n').Length - 1;

    [Fact]
    public void A_shrunk_grid_covers_only_its_points_and_a_regrown_one_computes_nothing_again()
    {
        Json("run").Dispose();
        Assert.Equal(90, Campaign.Results.Total(_store.Root).Count);

        TestSteps.PointCount = 60;
        TestSteps.ResetCalls();
        using (JsonDocument shrunk = Json("run"))
        {
            Assert.Equal(60, shrunk.RootElement.GetProperty("points").GetInt64());
            Assert.Equal(0, Count(shrunk, "Square", "computed"));
            Assert.Equal(54, Count(shrunk, "Square", "cached"));
            Assert.Equal(6, Count(shrunk, "Square", "failed"));
            Assert.Equal(1, Count(shrunk, "Sum", "computed"));
        }

        Assert.Equal(6, TestSteps.SquareCalls);
        Assert.Equal(54, Campaign.Results.Total(_store.Root).Count);
        Assert.Equal(Enumerable.Range(0, 60).Where(i => !TestSteps.Fails(i)).Sum(i => (double)i * i - i), Campaign.Results.Total(_store.Root).Sum);
        Assert.Equal(54, Campaign.Results.Square(_store.Root).Count);
        Assert.Equal(60, Campaign.Results.Points(_store.Root).Count);
        Assert.Equal(54, ResultRows("square"));
        Assert.Equal(54, ResultRows("shift"));
        using (JsonDocument status = Json("status"))
        {
            Assert.Equal(60, status.RootElement.GetProperty("points").GetInt64());
            Assert.Equal(54, Count(status, "Square", "done"));
            Assert.Equal(6, Count(status, "Square", "failed"));
            Assert.Equal(6, status.RootElement.GetProperty("failures").GetArrayLength());
            Assert.Equal(1, Count(status, "Sum", "done"));
        }

        // provenance still explains a result in history: the point's parameters and the run that made it.
        string gone = PointOf(99);
        Assert.Single(Cli.Run("results", "square", "--store", _store.Root, "--all-versions").Out.TrimEnd().Split('\n'),
            l => l.StartsWith(gone + ",", StringComparison.Ordinal) && l.EndsWith(",false", StringComparison.Ordinal));
        var (explained, chain, _) = Cli.Run("provenance", "square", "--point", gone, "--store", _store.Root);
        Assert.Equal(ExitCodes.Success, explained);
        Assert.Contains($"point {gone}: Index=99, Label=p99", chain, StringComparison.Ordinal);

        // History is still there: the results of the points [Points] no longer yields, moved out of
        // results/ and points/, so that readers outside Cairn count the current rows only.
        Assert.Equal(91, Cli.Run("results", "square", "--store", _store.Root, "--all-versions").Out.TrimEnd().Split('\n').Length);
        Assert.Equal((54, 54), DuckDbRows("results/square"));
        Assert.Equal((36, 36), DuckDbRows("history/results/square"));
        Assert.Equal((60, 60), DuckDbRows("points"));
        Assert.Equal((40, 40), DuckDbRows("history/points"));
        Assert.Equal(54, H5pyRows("results/shift", "shift"));
        Assert.Equal(36, H5pyRows("history/results/shift", "shift"));

        TestSteps.PointCount = 100;
        TestSteps.ResetCalls();
        using (JsonDocument regrown = Json("run"))
        {
            Assert.Equal(0, Count(regrown, "Square", "computed"));
            Assert.Equal(90, Count(regrown, "Square", "cached"));
            Assert.Equal(0, Count(regrown, "Shift", "computed"));
            Assert.Equal(1, Count(regrown, "Sum", "cached"));
        }

        Assert.Equal(10, TestSteps.SquareCalls);
        Assert.Equal(90, Campaign.Results.Total(_store.Root).Count);
        Assert.Equal(90, ResultRows("square"));
        Assert.Equal((90, 90), DuckDbRows("results/square"));
        Assert.Equal((100, 100), DuckDbRows("points"));
        Assert.Equal(90, H5pyRows("results/shift", "shift"));
        Assert.Empty(_store.Files("history/results/square"));
        Assert.Empty(_store.Files("history/points"));
    }

    /// <summary>The id of the test point with <paramref name="index"/>, as the CLI prints it.</summary>
    private static string PointOf(int index)
    {
        var writer = new Cairn.Hosting.CanonicalWriter();
        Campaign.Definition.WriteCanonical(new TestPoint(index, $"p{index}", index % 2 == 0 ? Phase.Solid : Phase.Liquid), writer);
        return writer.ToPointId().ToString();
    }

    /// <summary>Rows and distinct point ids of every Parquet shard of a directory, read by DuckDB.</summary>
    private (int Rows, int Points) DuckDbRows(string directory)
    {
        using JsonDocument doc = Tools.RunJson("node", "parquet-read.mjs", Path.Combine(_store.Root, directory, "*.parquet"), "DuckDB could not read the files");
        JsonElement[] rows = [.. doc.RootElement.GetProperty("rows").EnumerateArray()];
        return (rows.Length, rows.Select(r => r.GetProperty("point_id").GetString()).Distinct().Count());
    }

    /// <summary>Rows of every HDF5 shard of a directory, read by h5py.</summary>
    private int H5pyRows(string directory, string group) => _store.Files(directory).Sum(shard =>
    {
        using JsonDocument doc = Tools.RunJson("/usr/bin/python3", "h5-read.py", shard, "h5py could not read the shard");
        return doc.RootElement.GetProperty("datasets").GetProperty(group + "/point_id").GetProperty("values").GetArrayLength();
    });
}
