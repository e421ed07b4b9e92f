using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>
/// What a code change recomputes. The generated definition is wrapped so that one step's code hash
/// differs, exactly as after an edit to that step's body, and run through the real host.
/// </summary>
[Collection("campaign")]
public sealed class CodeChangeTests : IDisposable
{
    private readonly TempStore _store = new();

    public CodeChangeTests()
    {
        TestSteps.PointCount = 100;
        TestSteps.ResetCalls();
    }

    public void Dispose() => _store.Dispose();

    private JsonDocument Run(CampaignDefinition<TestPoint> definition)
    {
        var (exit, stdout, stderr) = Cli.RunWith(definition, "run", "--store", _store.Root, "--json");
        Assert.True(exit == ExitCodes.StepsFailed, stderr);
        return JsonDocument.Parse(stdout);
    }

    private static long Count(JsonDocument report, string step, string what) =>
        report.RootElement.GetProperty("steps").GetProperty(step).GetProperty(what).GetInt64();

    [Fact]
    public void A_change_to_one_step_recomputes_it_and_what_depends_on_it_and_nothing_else()
    {
        Run(Campaign.Definition).Dispose();
        TestSteps.ResetCalls();

        using JsonDocument report = Run(EditedCampaign.WithNewCode("Shift"));

        Assert.Equal(90, Count(report, "Shift", "computed"));
        Assert.Equal(0, Count(report, "Shift", "cached"));
        Assert.Equal(1, Count(report, "Sum", "computed"));
        // The streamed Mean met the older code's 90 rows beside the 90 new ones, and read the new ones alone.
        Assert.Equal(1, Count(report, "Mean", "computed"));
        Assert.Equal(90, Campaign.Results.Mean(_store.Root).Count);
        // Square's stored results are still current: they are read back to feed Shift, not computed
        // again. Only the points whose Square failed run it again (and fail again).
        Assert.Equal(0, Count(report, "Square", "computed"));
        Assert.Equal(90, Count(report, "Square", "cached"));
        Assert.Equal(10, Count(report, "Square", "failed"));
        Assert.Equal(10, TestSteps.SquareCalls);
        Assert.Single(_store.Files("results/square"));
        var (_, all, _) = Cli.Run("results", "square", "--store", _store.Root, "--all-versions");
        Assert.Equal(91, all.Trim().Split('\n').Length);
        // The older code's results of Shift moved to history: results/shift holds the current ones once each.
        Assert.Equal(90, _store.Files("results/shift").Sum(Cairn.Storage.CampaignStore.Rows));
        Assert.Equal(90, _store.Files("history/results/shift").Sum(Cairn.Storage.CampaignStore.Rows));
        Assert.Equal(2, Cli.Run("results", "total", "--store", _store.Root, "--all-versions").Out.Trim().Split('\n').Length - 1);
        Assert.Single(_store.Files("history/results/total"));
    }

    [Fact]
    public void Stored_inputs_are_read_back_in_groups_with_their_own_values()
    {
        Run(Campaign.Definition).Dispose();
        TestSteps.ResetCalls();
        var edited = EditedCampaign.WithNewCode("Shift");

        // Groups of 7 points: the square shards are read once per group, 13 times in all.
        Cairn.Execution.RunReport report = new Cairn.Execution.LocalExecutor<TestPoint>(edited, new Cairn.Execution.RunOptions { Store = _store.Root, DeferredGroup = 7 }).Run();

        Assert.Equal((0, 90), (report.Steps[0].Counts.Computed, report.Steps[0].Counts.Cached));
        Assert.Equal(90, report.Steps[1].Counts.Computed);
        Assert.Equal(10, TestSteps.SquareCalls);
        AssertEachShiftIsFromItsOwnSquare(edited, _store.Root);
    }

    /// <summary>The store holds <paramref name="count"/> Shift results, each its own point's Square (i^2) less its index: what a recompute on stored inputs must give.</summary>
    internal static void AssertEachShiftIsFromItsOwnSquare(Cairn.Hosting.CampaignDefinition<TestPoint> definition, string store, int count = 90)
    {
        var index = StoreReader.Points(definition, store).ToDictionary(p => p.Point, p => p.Value.Index);
        IReadOnlyList<Result<Shifted>> shifted = StoreReader.PerPoint<TestPoint, Shifted>(definition, store, 1);
        Assert.Equal(count, shifted.Count);
        Assert.All(shifted, r => Assert.Equal(((double)index[r.Point] * index[r.Point]) - index[r.Point], r.Value.Value));
    }

    [Fact]
    public void A_change_upstream_recomputes_every_step_below_it()
    {
        Run(Campaign.Definition).Dispose();

        using JsonDocument report = Run(EditedCampaign.WithNewCode("Square"));

        Assert.Equal(90, Count(report, "Square", "computed"));
        Assert.Equal(90, Count(report, "Shift", "computed"));
        Assert.Equal(1, Count(report, "Sum", "computed"));
    }

    [Fact]
    public void Results_of_older_code_stay_stored_but_only_current_ones_are_read()
    {
        Run(Campaign.Definition).Dispose();
        Run(EditedCampaign.WithNewCode("Shift")).Dispose();

        // The original code is current again: its results are still there, so nothing is computed.
        using (JsonDocument back = Run(Campaign.Definition))
        {
            Assert.Equal(90, Count(back, "Shift", "cached"));
            Assert.Equal(1, Count(back, "Sum", "cached"));
        }

        var (_, current, _) = Cli.Run("results", "shift", "--store", _store.Root);
        var (_, all, _) = Cli.Run("results", "shift", "--store", _store.Root, "--all-versions");
        string[] allLines = all.Trim().Split('\n');
        Assert.Equal(91, current.Trim().Split('\n').Length);
        Assert.Equal(181, allLines.Length);
        Assert.Equal("point_id,key,Value,Positive,Amplitude,Block,current", allLines[0]);
        // Each row says whether it is the current code's (the original rows are), by point id, each
        // point's current row before its older one.
        Assert.Equal(90, allLines.Count(l => l.EndsWith(",true", StringComparison.Ordinal)));
        string[][] byPoint = [.. allLines.Skip(1).Chunk(2)];
        Assert.All(byPoint, pair =>
        {
            Assert.Equal(pair[0].Split(',')[0], pair[1].Split(',')[0]);
            Assert.EndsWith(",true", pair[0], StringComparison.Ordinal);
            Assert.EndsWith(",false", pair[1], StringComparison.Ordinal);
        });
        Assert.Equal(byPoint.Select(p => p[0].Split(',')[0]).Order(StringComparer.Ordinal), byPoint.Select(p => p[0].Split(',')[0]));
        Assert.Equal(90, Campaign.Results.Shift(_store.Root).Count);

        // A reduction's versions, with the current one marked: the first, computed by the original code.
        string[] totals = Cli.Run("results", "total", "--store", _store.Root, "--all-versions").Out.Trim().Split('\n');
        Assert.Equal("key,input_count,points,Sum,Count,current", totals[0]);
        Assert.Equal([",true", ",false"], totals[1..].Select(l => l[l.LastIndexOf(',')..]));
        string currentTotal = Cli.Run("results", "total", "--store", _store.Root).Out.Trim().Split('\n')[1];
        Assert.EndsWith("," + currentTotal + ",true", totals[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Product_shards_name_the_key_chain_their_rows_were_computed_under_which_changes_with_any_upstream_code()
    {
        Run(Campaign.Definition).Dispose();
        string Named(string directory) => Assert.Single(_store.Files(directory).Select(shard => CampaignStore.Metadata(shard, StoreLayout.KeyChainKey)[0]).Distinct())!;
        string square = Named("results/square");
        string shift = Named("results/shift");
        var chain = new KeyChain(Campaign.Definition.Graph);
        Assert.Equal(chain.Signature(0).ToString(), square);
        Assert.Equal(chain.Signature(1).ToString(), shift);
        Assert.NotEqual(square, shift);

        // Square's code is Shift's input: a change to it changes both chains; a change to Shift, Shift's alone.
        var squareEdited = new KeyChain(EditedCampaign.WithNewCode("Square").Graph);
        Assert.NotEqual(square, squareEdited.Signature(0).ToString());
        Assert.NotEqual(shift, squareEdited.Signature(1).ToString());
        var shiftEdited = new KeyChain(EditedCampaign.WithNewCode("Shift").Graph);
        Assert.Equal(square, shiftEdited.Signature(0).ToString());
        Assert.NotEqual(shift, shiftEdited.Signature(1).ToString());

        // What a run under Square's new code writes names the new chains, beside the old shards.
        Run(EditedCampaign.WithNewCode("Square")).Dispose();
        Assert.Contains(squareEdited.Signature(1).ToString(), _store.Files("results/shift").Select(shard => CampaignStore.Metadata(shard, StoreLayout.KeyChainKey)[0]));

        // Twenty points more make a second small shard each, which the run's compaction merges with
        // the first into one that names no chain: its rows are then checked one by one, and all are
        // still current.
        TestSteps.PointCount = 120;
        long shifts;
        using (JsonDocument more = Run(EditedCampaign.WithNewCode("Square")))
        {
            shifts = Count(more, "Shift", "computed") + Count(more, "Shift", "cached");
            Assert.True(Count(more, "Shift", "computed") > 0);
        }

        Assert.Null(CampaignStore.Metadata(Assert.Single(_store.Files("results/square")), StoreLayout.KeyChainKey)[0]);
        using JsonDocument again = Run(EditedCampaign.WithNewCode("Square"));
        Assert.Equal(shifts, Count(again, "Shift", "cached"));
        Assert.Equal(0, Count(again, "Shift", "computed"));
        Assert.Equal(0, Count(again, "Square", "computed"));
    }
}
