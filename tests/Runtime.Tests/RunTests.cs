using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;
using Xunit;

namespace Cairn.Runtime.Tests;

[CollectionDefinition("campaign", DisableParallelization = true)]
public sealed class CampaignCollection
{
}

[Collection("campaign")]
public sealed class RunTests : IDisposable
{
    private readonly TempStore _store = new();

    public RunTests()
    {
        TestSteps.PointCount = 100;
        TestSteps.ResetCalls();
    }

    public void Dispose() => _store.Dispose();

    private static JsonElement Step(JsonDocument report, string step) => report.RootElement.GetProperty("steps").GetProperty(step);

    private static (long Computed, long Cached, long Failed, long Skipped) Counts(JsonDocument report, string step)
    {
        JsonElement s = Step(report, step);
        return (s.GetProperty("computed").GetInt64(), s.GetProperty("cached").GetInt64(), s.GetProperty("failed").GetInt64(), s.GetProperty("skipped").GetInt64());
    }

    private JsonDocument RunJson(int expectedExit)
    {
        var (exit, stdout, stderr) = Cli.Run("run", "--store", _store.Root, "--json", "--workers", "2");
        Assert.True(exit == expectedExit, $"exit {exit}, stderr: {stderr}");
        return JsonDocument.Parse(stdout);
    }

    [Fact]
    public void First_run_computes_every_point_records_failures_skips_dependants_and_exits_3()
    {
        using JsonDocument report = RunJson(ExitCodes.StepsFailed);

        Assert.Equal((90, 0, 10, 0), Counts(report, "Square"));
        Assert.Equal((90, 0, 0, 10), Counts(report, "Shift"));
        Assert.Equal((1, 0, 0, 0), Counts(report, "Sum"));
        Assert.Equal((1, 0, 0, 0), Counts(report, "Mean"));
        Assert.Equal((2, 0, 0, 0), Counts(report, "ByPhase"));
        Assert.Equal((1, 0, 0, 0), Counts(report, "Balance"));
        Assert.Equal(100, report.RootElement.GetProperty("points").GetInt64());
        Assert.Equal(3, report.RootElement.GetProperty("duplicate_points").GetInt64());
        Assert.Equal(100, TestSteps.SquareCalls);
        // points, square, shift, failures, total, mean, phases, balance and provenance: one shard each
        // for 100 rows (the provenance of the per-point steps and of each of the four global steps,
        // merged at the end of the run: five removed, one written).
        Assert.Equal(14, report.RootElement.GetProperty("files_written").GetInt32());
        Assert.Equal(5, report.RootElement.GetProperty("files_removed").GetInt32());
        Assert.Single(_store.Files("provenance"));
        Assert.Single(_store.Files("points"));
        Assert.Single(_store.Files("results/square"));
        Assert.Single(_store.Files("results/total"));
        Assert.True(report.RootElement.GetProperty("seconds").GetDouble() >= 0);
    }

    [Fact]
    public void A_second_run_invokes_no_step_for_stored_results_and_retries_only_the_failures()
    {
        RunJson(ExitCodes.StepsFailed).Dispose();
        TestSteps.ResetCalls();

        using JsonDocument report = RunJson(ExitCodes.StepsFailed);

        Assert.Equal((0, 90, 10, 0), Counts(report, "Square"));
        Assert.Equal((0, 90, 0, 10), Counts(report, "Shift"));
        Assert.Equal((0, 1, 0, 0), Counts(report, "Sum"));
        Assert.Equal(10, TestSteps.SquareCalls);
        Assert.Equal(0, report.RootElement.GetProperty("new_points").GetInt64());
        Assert.Single(_store.Files("points"));
    }

    [Fact]
    public void New_points_are_computed_alone_and_the_reduction_is_recomputed_over_all()
    {
        RunJson(ExitCodes.StepsFailed).Dispose();
        TestSteps.PointCount = 120;

        using JsonDocument report = RunJson(ExitCodes.StepsFailed);

        Assert.Equal((18, 90, 12, 0), Counts(report, "Square"));
        Assert.Equal((1, 0, 0, 0), Counts(report, "Sum"));
        Assert.Equal(20, report.RootElement.GetProperty("new_points").GetInt64());
        var (_, csv, _) = Cli.Run("results", "total", "--store", _store.Root);
        string[] lines = csv.Trim().Split('\n');
        Assert.Equal("input_count,points,Sum,Count", lines[0]);
        int expectedCount = Enumerable.Range(0, 120).Count(i => !TestSteps.Fails(i));
        double expectedSum = Enumerable.Range(0, 120).Where(i => !TestSteps.Fails(i)).Sum(i => (double)i * i - i);
        Assert.Equal($"{expectedCount},120,{expectedSum.ToString("R", System.Globalization.CultureInfo.InvariantCulture)},{expectedCount}", lines[1]);
    }

    [Fact]
    public void The_reduction_key_a_run_derives_in_memory_is_the_key_the_store_gives()
    {
        // A rerun decides that the reduction is cached from the table of point masks alone; the
        // readers find the current row from the stored key columns. Both must agree, also after
        // new points, or a rerun would compute the reduction again and readers would miss it.
        foreach (int points in new[] { 100, 130 })
        {
            TestSteps.PointCount = points;
            RunJson(ExitCodes.StepsFailed).Dispose();
            CampaignDefinition<TestPoint> definition = Campaign.Definition;
            int sum = definition.Graph.StepOf("total");
            CampaignStore store = CampaignStore.Open(_store.Root, definition.Graph.Name, create: false);
            using PointMasks masks = StoredState.Load(store, definition, workers: 2);
            CurrentPoints.Mark(definition, masks);

            PointId? fromMemory = new RunKeys(definition.Graph, masks, workers: 2).Global(sum);
            using CurrentPoints current = CurrentPoints.Enumerate(definition);
            GlobalInputs? fromStore = Assert.Single(new CurrentResults<TestPoint>(definition, store, current).Global(sum)!.Runs);

            Assert.NotNull(fromStore);
            Assert.Equal(fromStore.Key, fromMemory);
            Assert.Equal(Enumerable.Range(0, points).Count(i => !TestSteps.Fails(i)), fromStore.Count);
        }

        using JsonDocument rerun = RunJson(ExitCodes.StepsFailed);
        Assert.Equal((0, 1, 0, 0), Counts(rerun, "Sum"));
    }

    [Fact]
    public void Results_print_the_values_the_steps_returned_as_csv_and_json()
    {
        RunJson(ExitCodes.StepsFailed).Dispose();

        var (exit, csv, _) = Cli.Run("results", "square", "--store", _store.Root, "--format", "csv");
        Assert.Equal(0, exit);
        string[] lines = csv.Trim().Split('\n');
        Assert.Equal("point_id,Value,Digits,Phase,Stamp", lines[0]);
        Assert.Equal(91, lines.Length);
        var values = lines.Skip(1).Select(l => double.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.Equal(Enumerable.Range(0, 100).Where(i => !TestSteps.Fails(i)).Select(i => (double)i * i), values);

        var (jsonExit, json, _) = Cli.Run("results", "square", "--store", _store.Root, "--format", "json");
        Assert.Equal(0, jsonExit);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement row = doc.RootElement.EnumerateArray().Single(r => r.GetProperty("Value").GetDouble() == 1849);
        Assert.Equal([4, 3], row.GetProperty("Digits").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal("Liquid", row.GetProperty("Phase").GetString());
        Assert.Equal(new DateTime(2026, 1, 2, 19, 0, 0, DateTimeKind.Utc), row.GetProperty("Stamp").GetDateTime().ToUniversalTime());
        Assert.Matches("^[0-9a-f]{32}$", row.GetProperty("point_id").GetString());
    }

    [Fact]
    public void Results_with_points_put_the_parameters_of_each_point_beside_its_result()
    {
        RunJson(ExitCodes.StepsFailed).Dispose();

        var (exit, csv, _) = Cli.Run("results", "shift", "--store", _store.Root, "--with-points");

        Assert.Equal(0, exit);
        string[] lines = csv.Trim().Split('\n');
        Assert.Equal("point_id,Index,Label,Phase,Value,Positive,Amplitude,Block", lines[0]);
        Assert.Equal(91, lines.Length);
        Assert.All(lines.Skip(1), line =>
        {
            string[] cells = line.Split(',');
            int index = int.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal($"p{index}", cells[2]);
            Assert.Equal((double)index * index - index, double.Parse(cells[4], System.Globalization.CultureInfo.InvariantCulture));
        });

        // A complex number as re+imi, a 2-D array row by row.
        string four = lines.Single(l => l.Split(',')[1] == "4");
        Assert.EndsWith(",4-2i,[[4 0] [4 1]]", four, StringComparison.Ordinal);
        var (_, json, _) = Cli.Run("results", "shift", "--store", _store.Root, "--format", "json");
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement five = doc.RootElement.EnumerateArray().Single(r => r.GetProperty("Value").GetDouble() == 20);
        Assert.Equal("[5,-2.5]", five.GetProperty("Amplitude").GetRawText());
        Assert.Equal("[[5,0],[5,1],[5,2]]", five.GetProperty("Block").GetRawText());
    }

    [Fact]
    public void Results_with_points_qualify_a_point_property_named_like_one_of_the_product_and_keep_point_id_order()
    {
        // Two runs, so that square's rows are stored in run order (0-59, then 60-99), not by id.
        TestSteps.PointCount = 60;
        RunJson(ExitCodes.StepsFailed).Dispose();
        TestSteps.PointCount = 100;
        RunJson(ExitCodes.StepsFailed).Dispose();

        // Square's output and the point both have a Phase.
        string[] lines = Cli.Run("results", "square", "--store", _store.Root, "--with-points").Out.Trim().Split('\n');

        Assert.Equal("point_id,Index,Label,point.Phase,Value,Digits,Phase,Stamp", lines[0]);
        string[] ids = [.. lines.Skip(1).Select(l => l.Split(',')[0])];
        Assert.Equal(90, ids.Length);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal([.. Campaign.Results.Square(_store.Root).Select(r => r.Point.ToString())], ids);

        // The same order after another compaction.
        Assert.Equal(0, Cli.Run("compact", "--store", _store.Root, "--rows", "50").Exit);
        Assert.Equal(lines, Cli.Run("results", "square", "--store", _store.Root, "--with-points").Out.Trim().Split('\n'));
    }

    [Fact]
    public void Campaign_Seed_is_the_low_bits_of_the_point_id_so_it_differs_by_point_and_never_by_run()
    {
        var one = new TestPoint(1, "p1", Phase.Liquid);
        var writer = new CanonicalWriter();
        Campaign.Definition.WriteCanonical(one, writer);

        Assert.Equal(unchecked((int)writer.ToPointId().Low), Campaign.Seed(one));
        Assert.Equal(Campaign.Seed(one), Campaign.Seed(one with { }));
        Assert.NotEqual(Campaign.Seed(one), Campaign.Seed(one with { Index = 2 }));
    }

    [Fact]
    public void Typed_readers_return_the_stored_values_one_per_point()
    {
        RunJson(ExitCodes.StepsFailed).Dispose();

        var points = Campaign.Results.Points(_store.Root);
        var squares = Campaign.Results.Square(_store.Root);
        Total total = Campaign.Results.Total(_store.Root);

        Assert.Equal(100, points.Count);
        Assert.Equal(90, squares.Count);
        Assert.Equal(90, total.Count);
        var indexOf = points.ToDictionary(p => p.Point, p => p.Value.Index);
        Assert.All(squares, s => Assert.Equal((double)indexOf[s.Point] * indexOf[s.Point], s.Value.Value));
        Assert.Equal(squares.Select(s => s.Point).Order(), squares.Select(s => s.Point));
    }

    [Fact]
    public void A_typed_reader_of_a_global_product_without_a_value_says_to_run_first()
    {
        TestSteps.PointCount = 0;
        using JsonDocument report = RunJson(ExitCodes.Success);
        Assert.Equal((0, 0, 0, 1), Counts(report, "Sum"));

        var error = Assert.Throws<CairnException>(() => Campaign.Results.Total(_store.Root));

        Assert.Equal($"no value of product 'total' is stored in {_store.Root} yet; run the campaign first.", error.Message);
    }

    [Fact]
    public void Status_counts_done_failed_blocked_and_lists_the_failures()
    {
        RunJson(ExitCodes.StepsFailed).Dispose();

        var (exit, text, _) = Cli.Run("status", "--store", _store.Root);
        Assert.Equal(0, exit);
        Assert.Contains("10 open failure(s)", text, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: point 17 is unlucky", text, StringComparison.Ordinal);

        var (_, json, _) = Cli.Run("status", "--store", _store.Root, "--json");
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement steps = doc.RootElement.GetProperty("steps");
        Assert.Equal(100, doc.RootElement.GetProperty("points").GetInt64());
        Assert.Equal(90, steps.GetProperty("Square").GetProperty("done").GetInt64());
        Assert.Equal(10, steps.GetProperty("Square").GetProperty("failed").GetInt64());
        Assert.Equal(10, steps.GetProperty("Shift").GetProperty("blocked").GetInt64());
        Assert.Equal(0, steps.GetProperty("Shift").GetProperty("pending").GetInt64());
        Assert.Equal(1, steps.GetProperty("Sum").GetProperty("done").GetInt64());
        JsonElement[] failures = doc.RootElement.GetProperty("failures").EnumerateArray().ToArray();
        Assert.Equal(10, failures.Length);
        Assert.All(failures, f => Assert.Equal("Square", f.GetProperty("step").GetString()));
    }

    [Fact]
    public void Shards_hold_at_most_the_configured_rows_so_files_grow_with_results_not_with_batches()
    {
        TestSteps.PointCount = 1000;
        var options = new RunOptions { Store = _store.Root, Workers = 2, RowsPerShard = 300, FlushPoints = 50 };

        RunReport report = new LocalExecutor<TestPoint>(Campaign.Definition, options).Run();

        Assert.Equal(1000, report.Points);
        int bound = (int)Math.Ceiling(1000 / 300.0);
        Assert.InRange(_store.Files("points").Length, 1, bound);
        Assert.InRange(_store.Files("results/square").Length, 1, bound);
        Assert.InRange(_store.Files("results/shift").Length, 1, bound);
        Assert.DoesNotContain(Directory.GetFiles(_store.Root, "*", SearchOption.AllDirectories), f => Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != StoreLayout.LastCompaction);
    }

    [Fact]
    public void A_run_commits_shards_of_the_size_compaction_keeps_so_that_it_writes_no_row_twice()
    {
        TestSteps.PointCount = 1000;
        var options = new RunOptions { Store = _store.Root, Workers = 2, RowsPerFile = 300, FlushPoints = 50, MaxChunkSize = 10 };

        RunReport report = new LocalExecutor<TestPoint>(Campaign.Definition, options).Run();

        Assert.Equal(1000, report.Points);
        Assert.Equal(300, options.RowsPerShard);
        // Shards close at the first batch past 300 rows: at least 300 each but the last, which
        // compaction leaves alone too, as there is no other small one to merge it with.
        foreach (string directory in new[] { "points", "results/square", "results/shift" })
        {
            long[] rows = _store.Files(directory).Select(Cairn.Storage.CampaignStore.Rows).ToArray();
            Assert.InRange(rows.Length, 2, 4);
            Assert.True(rows.Count(r => Compaction.IsSmall(r, 300)) <= 1, $"{directory}: {string.Join(", ", rows)}");
        }
    }

    [Fact]
    public void Run_rows_sets_the_shards_rows_and_refuses_a_count_that_is_not_positive()
    {
        // Workers hand the writer batches of up to 16,384 points: enough points for several.
        TestSteps.PointCount = 40_000;

        var (exit, _, error) = Cli.Run("run", "--store", _store.Root, "--rows", "10000", "--workers", "1");

        Assert.True(exit == ExitCodes.StepsFailed, error);
        long[] rows = _store.Files("points").Select(CampaignStore.Rows).ToArray();
        Assert.True(rows.Length >= 2 && rows.Count(r => Compaction.IsSmall(r, 10_000)) <= 1, string.Join(", ", rows));
        var (zero, _, message) = Cli.Run("run", "--store", _store.Root, "--rows", "0");
        Assert.Equal(ExitCodes.Usage, zero);
        Assert.Contains("--rows", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_adds_a_few_points_writes_no_partly_full_shard_again()
    {
        TestSteps.PointCount = 60;
        var options = new RunOptions { Store = _store.Root, Workers = 2, RowsPerFile = 30, FlushPoints = 5, MaxChunkSize = 5 };
        new LocalExecutor<TestPoint>(Campaign.Definition, options).Run();
        string[] before = _store.Files("points").Select(Path.GetFileName).ToArray()!;
        Assert.True(before.Length >= 2, $"{before.Length} shards of points");

        TestSteps.PointCount = 63;
        RunReport added = new LocalExecutor<TestPoint>(Campaign.Definition, options).Run();

        Assert.Equal(3, added.NewPoints);
        // The last shard of the first run is partly full: it stays as it is beside the new small one.
        string[] after = _store.Files("points").Select(Path.GetFileName).ToArray()!;
        Assert.Subset(after.ToHashSet(), before.ToHashSet());
        Assert.Equal(before.Length + 1, after.Length);
        Assert.Equal(63, _store.Files("points").Sum(CampaignStore.Rows));
    }

    [Fact]
    public void Shards_committed_early_by_the_commit_interval_are_merged_when_the_run_ends()
    {
        TestSteps.PointCount = 1000;
        var options = new RunOptions { Store = _store.Root, Workers = 2, RowsPerShard = 300, FlushPoints = 20, MaxChunkSize = 10, CommitInterval = TimeSpan.Zero };

        RunReport report = new LocalExecutor<TestPoint>(Campaign.Definition, options).Run();

        int bound = (int)Math.Ceiling(1000 / 300.0);
        Assert.InRange(_store.Files("points").Length, 1, bound);
        Assert.InRange(_store.Files("results/square").Length, 1, bound);
        Assert.InRange(_store.Files("failures").Length, 1, 1);
        Assert.Equal(_store.Files("points").Length + _store.Files("results/square").Length + _store.Files("results/shift").Length
            + _store.Files("failures").Length + _store.Files("results/total").Length + _store.Files("results/mean").Length + _store.Files("results/phases").Length + _store.Files("results/balance").Length
            + _store.Files("provenance").Length, report.FilesWritten - report.FilesRemoved);
        Assert.Single(_store.Files("provenance"));
        var (_, csv, _) = Cli.Run("results", "square", "--store", _store.Root);
        string[] ids = csv.Trim().Split('\n').Skip(1).Select(l => l.Split(',')[0]).ToArray();
        Assert.Equal(900, ids.Length);
        Assert.Equal(900, ids.Distinct().Count());
        var (_, status, _) = Cli.Run("status", "--store", _store.Root, "--json");
        Assert.Contains("\"points\":1000", status, StringComparison.Ordinal);
        Assert.Contains("\"Square\":{\"product\":\"square\",\"done\":900,\"failed\":100", status, StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_prints_steps_in_order_as_text_and_mermaid()
    {
        var (exit, text, _) = Cli.Run("graph");
        Assert.Equal(0, exit);
        string[] lines = text.Split('\n');
        Assert.StartsWith("campaign Cairn.Runtime.Tests, points of type TestPoint", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^Square\s+point\s+square\s+Squared\s+per point", lines[2]);
        Assert.Matches(@"^Shift\s+point, square\s+shift\s+Shifted\s+per point", lines[3]);
        Assert.Matches(@"^Sum\s+shift\[\]\s+total\s+Total\s+once", lines[4]);

        var (_, mermaid, _) = Cli.Run("graph", "--format", "mermaid");
        Assert.StartsWith("flowchart LR", mermaid, StringComparison.Ordinal);
        Assert.Contains("s0 -->|\"square\"| s1", mermaid, StringComparison.Ordinal);
        Assert.Contains("s1 -->|\"shift[]\"| s2", mermaid, StringComparison.Ordinal);
    }
}
