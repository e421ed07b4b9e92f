using System;
using System.Diagnostics;
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
        string tools = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../tools"));
        Assert.True(Directory.Exists(Path.Combine(tools, "node_modules", "@duckdb")),
            $"DuckDB is not installed in {tools}: run 'npm ci --prefix tests/tools' (the README's test command does)");
        var start = new ProcessStartInfo("node", [Path.Combine(tools, "parquet-read.mjs"), glob])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return JsonDocument.Parse(output);
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
        Assert.Equal(["key:UUID", "input_count:BIGINT", "Sum:DOUBLE", "Count:INTEGER"], Schema(total));
        Assert.Equal(45, total.RootElement.GetProperty("rows")[0].GetProperty("Count").GetInt32());
    }
}
