using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>The store read by DuckDB, a Parquet implementation that shares no code with ParquetSharp.</summary>
[Collection("campaign")]
public sealed class InteropTests : IDisposable
{
    private readonly TempStore _store = new();

    public InteropTests() => TestSteps.PointCount = 50;

    public void Dispose() => _store.Dispose();

    private static JsonDocument DuckDb(string glob)
    {
        Assert.True(Directory.Exists(Path.Combine(Tools.Directory, "node_modules", "@duckdb")),
            $"DuckDB is not installed in {Tools.Directory}: run 'npm ci --prefix tests/tools' (the README's test command does)");
        return Tools.RunJson("node", "parquet-read.mjs", glob, "DuckDB could not read the files");
    }

    private static string[] Schema(JsonDocument doc) =>
        doc.RootElement.GetProperty("columns").EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()}:{c.GetProperty("type").GetString()}").ToArray();

    [Fact]
    public void DuckDB_reads_points_and_results_with_the_expected_schema_and_values()
    {
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _store.Root).Exit);

        using JsonDocument points = DuckDb(Path.Combine(_store.Root, "points", "*.parquet"));
        Assert.Equal(["point_id:UUID", "Index:INTEGER", "Label:VARCHAR", "Phase:VARCHAR"], Schema(points));
        Assert.Equal(Enumerable.Range(0, 50), points.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("Index").GetInt32()).Order());

        using JsonDocument square = DuckDb(Path.Combine(_store.Root, "results", "square", "*.parquet"));
        Assert.Equal(["point_id:UUID", "key:UUID", "Value:DOUBLE", "Digits:BIGINT[]", "Phase:VARCHAR", "Stamp:TIMESTAMP WITH TIME ZONE"], Schema(square));

        // Join results to points on point_id in DuckDB's own terms, and compare with what the CLI prints.
        var indexOf = points.RootElement.GetProperty("rows").EnumerateArray()
            .ToDictionary(r => r.GetProperty("point_id").GetString()!.Replace("-", "", StringComparison.Ordinal), r => r.GetProperty("Index").GetInt32());
        var rows = square.RootElement.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(45, rows.Length);
        Assert.All(rows, r =>
        {
            int index = indexOf[r.GetProperty("point_id").GetString()!.Replace("-", "", StringComparison.Ordinal)];
            Assert.Equal((double)index * index, r.GetProperty("Value").GetDouble());
            Assert.Equal(index % 2 == 0 ? "Solid" : "Liquid", r.GetProperty("Phase").GetString());
        });

        using JsonDocument total = DuckDb(Path.Combine(_store.Root, "results", "total", "*.parquet"));
        Assert.Equal(["key:UUID", "input_count:BIGINT", "points:BIGINT", "Sum:DOUBLE", "Count:INTEGER"], Schema(total));
        Assert.Equal(45, total.RootElement.GetProperty("rows")[0].GetProperty("Count").GetInt32());
        // A partial reduction says what it covered: 45 of the 50 points (the others failed).
        Assert.Equal("45", total.RootElement.GetProperty("rows")[0].GetProperty("input_count").ToString());
        Assert.Equal("50", total.RootElement.GetProperty("rows")[0].GetProperty("points").ToString());

        // A grouped reduction's rows: one per group, its column beside the output's.
        using JsonDocument phases = DuckDb(Path.Combine(_store.Root, "results", "phases", "*.parquet"));
        Assert.Equal(["key:UUID", "input_count:BIGINT", "points:BIGINT", "Phase:VARCHAR", "Sum:DOUBLE", "Count:INTEGER", "First:INTEGER", "Last:INTEGER"], Schema(phases));
        Assert.Equal(["Liquid:20", "Solid:25"], phases.RootElement.GetProperty("rows").EnumerateArray()
            .Select(r => $"{r.GetProperty("Phase").GetString()}:{r.GetProperty("Count").GetInt32()}").Order());
    }

    [Fact]
    public void DuckDB_reads_one_provenance_row_per_step_run_linked_by_keys()
    {
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _store.Root).Exit);

        using JsonDocument provenance = DuckDb(Path.Combine(_store.Root, "provenance", "*.parquet"));
        Assert.Equal(
            ["key:UUID", "step:VARCHAR", "step_hash:VARCHAR", "point_id:UUID", "input_keys:UUID[]", "host:VARCHAR", "start:TIMESTAMP WITH TIME ZONE",
             "duration_us:BIGINT", "peak_working_set:BIGINT", "status:VARCHAR", "error:VARCHAR", "cairn_version:VARCHAR", "dotnet_version:VARCHAR"],
            Schema(provenance));
        var rows = provenance.RootElement.GetProperty("rows").EnumerateArray().ToArray();
        string Text(JsonElement row, string column) => row.GetProperty(column).GetString()!;
        var square = rows.Where(r => Text(r, "step") == "Square").ToArray();
        var shift = rows.Where(r => Text(r, "step") == "Shift").ToArray();
        var sum = Assert.Single(rows, r => Text(r, "step") == "Sum");

        // Every run of Square: 45 succeeded, 5 failed with the exception's type and message.
        Assert.Equal((45, 5), (square.Count(r => Text(r, "status") == "ok"), square.Count(r => Text(r, "status") == "failed")));
        Assert.All(square.Where(r => Text(r, "status") == "failed"), r => Assert.StartsWith("System.InvalidOperationException: point ", Text(r, "error")));
        Assert.All(rows, r => Assert.Equal(Environment.MachineName, Text(r, "host")));
        Assert.All(rows, r => Assert.True(long.Parse(Text(r, "peak_working_set"), System.Globalization.CultureInfo.InvariantCulture) > 1 << 20));
        Assert.Equal(Campaign.Graph.Steps[1].CodeHash, Text(shift[0], "step_hash"));

        // Shift's input key is the key of Square's row for the same point: the chain can be followed in SQL.
        var squareKey = square.ToDictionary(r => Text(r, "point_id"), r => Text(r, "key"));
        Assert.Equal(45, shift.Length);
        Assert.All(shift, r => Assert.Equal(squareKey[Text(r, "point_id")], r.GetProperty("input_keys")[0].GetString()));

        // The reduction is one node: no point, one input (the digest of the 45 keys), its key is the stored total's.
        Assert.Equal(JsonValueKind.Null, sum.GetProperty("point_id").ValueKind);
        Assert.Equal(1, sum.GetProperty("input_keys").GetArrayLength());
        using JsonDocument total = DuckDb(Path.Combine(_store.Root, "results", "total", "*.parquet"));
        Assert.Equal(Text(total.RootElement.GetProperty("rows")[0], "key"), Text(sum, "key"));
    }
}
