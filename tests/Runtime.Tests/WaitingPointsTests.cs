using System;
using System.IO;
using System.Linq;
using System.Threading;
using Cairn.Execution;
using Cairn.Storage;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>
/// After an edit to the second step every point waits for its stored first result. A run reads
/// them a points shard at a time, beside the product shards that hold that shard's very rows, and
/// looks up only the rest. These runs have no failing point, so that a run's square shards hold the
/// same points as its points shards.
/// </summary>
[Collection("campaign")]
public sealed class WaitingPointsTests : ReliableCampaignTests
{
    /// <summary>A first run in shards of about 10 rows, on two workers.</summary>
    private void FirstRun() =>
        _ = new LocalExecutor<TestPoint>(Campaign.Definition, new RunOptions { Store = Store.Root, RowsPerFile = 10, FlushPoints = 4, MaxChunkSize = 4, Workers = 2 }).Run();

    /// <summary>The product shards a run would find aligned with each points shard of the store now.</summary>
    private ShardAlignment Alignment()
    {
        CampaignStore store = CampaignStore.Open(Store.Root, Campaign.Definition.Graph.Name, create: false);
        var alignment = new ShardAlignment();
        StoredState.Load(store, Campaign.Definition, 2, alignment: alignment).Dispose();
        return alignment;
    }

    private RunReport RunEdited(Cairn.Hosting.CampaignDefinition<TestPoint> edited) =>
        new LocalExecutor<TestPoint>(edited, new RunOptions { Store = Store.Root, RowsPerFile = 10, Workers = 2 }).Run();

    [Fact]
    public void After_an_edit_to_the_second_step_each_point_runs_on_the_square_read_beside_its_points_shard()
    {
        FirstRun();
        ShardAlignment alignment = Alignment();
        Assert.True(alignment.PointShards.Count >= 5, $"{alignment.PointShards.Count} points shards");
        Assert.All(Enumerable.Range(0, alignment.PointShards.Count), shard => Assert.NotNull(alignment.ProductShard(0, shard)));

        var edited = EditedCampaign.WithNewCode("Shift");
        TestSteps.ResetCalls();
        RunReport report = RunEdited(edited);

        Assert.Equal((0, 100), (report.Steps[0].Counts.Computed, report.Steps[0].Counts.Cached));
        Assert.Equal(100, report.Steps[1].Counts.Computed);
        Assert.Equal((100, 100), (report.OnStoredInputs, report.InputsAlongside));
        Assert.Equal(0, TestSteps.SquareCalls);
        CodeChangeTests.AssertEachShiftIsFromItsOwnSquare(edited, Store.Root, 100);

        RunReport again = RunEdited(edited);
        Assert.Equal((0, 0), (again.Computed, again.OnStoredInputs));
    }

    [Fact]
    public void Points_whose_points_shard_is_gone_are_found_again_and_run_once_on_theirStored_inputs()
    {
        FirstRun();
        string lost = Store.Files("points").OrderBy(f => f, StringComparer.Ordinal).First();
        long lostRows = CampaignStore.Rows(lost);
        File.Delete(lost);
        var edited = EditedCampaign.WithNewCode("Shift");

        RunReport report = RunEdited(edited);

        Assert.Equal(100, report.Steps[1].Counts.Computed);
        Assert.Equal((100L, 100 - lostRows), (report.OnStoredInputs, report.InputsAlongside));
        CodeChangeTests.AssertEachShiftIsFromItsOwnSquare(edited, Store.Root, 100);
    }

    [Fact]
    public void Shards_that_another_runs_compaction_merged_meanwhile_are_looked_up_instead()
    {
        FirstRun();
        ShardAlignment alignment = Alignment();
        string points = alignment.PointShards[1];
        string square = alignment.ProductShard(0, 2)!;
        long moved = CampaignStore.Rows(points) + CampaignStore.Rows(square);
        var edited = EditedCampaign.WithNewCode("Shift");

        // While the first points shard's points run, a points shard and a square shard of the next
        // ones move, as a compaction's merge does: the same rows under another name.
        int once = 0;
        TestSteps.Probe = new StepProbe
        {
            Starting = step =>
            {
                if (step == "Shift" && Interlocked.Exchange(ref once, 1) == 0)
                {
                    File.Move(points, Path.Combine(Path.GetDirectoryName(points)!, "0-" + Path.GetFileName(points)));
                    File.Move(square, Path.Combine(Path.GetDirectoryName(square)!, "0-" + Path.GetFileName(square)));
                }
            },
        };
        RunReport report;
        try
        {
            report = RunEdited(edited);
        }
        finally
        {
            TestSteps.Probe = null;
        }

        Assert.Equal(100, report.Steps[1].Counts.Computed);
        Assert.Equal((100, 100 - moved), (report.OnStoredInputs, report.InputsAlongside));
        CodeChangeTests.AssertEachShiftIsFromItsOwnSquare(edited, Store.Root, 100);
    }

    [Fact]
    public void A_point_that_two_points_shards_hold_runs_once()
    {
        FirstRun();
        // A copy of a points shard and of its square shard beside them, as a compaction that ended
        // between its commit and its deletes can leave: its points are met twice and run once.
        ShardAlignment alignment = Alignment();

        foreach (string shard in new[] { alignment.PointShards[0], alignment.ProductShard(0, 0)! })
        {
            File.Copy(shard, Path.Combine(Path.GetDirectoryName(shard)!, "0-" + Path.GetFileName(shard)));
        }

        var edited = EditedCampaign.WithNewCode("Shift");
        RunReport report = RunEdited(edited);

        Assert.Equal(100, report.Steps[1].Counts.Computed);
        Assert.Equal((100, 100), (report.OnStoredInputs, report.InputsAlongside));
        CodeChangeTests.AssertEachShiftIsFromItsOwnSquare(edited, Store.Root, 100);
    }

    [Fact]
    public void Square_shards_that_miss_a_failed_point_are_not_beside_their_points_shard_and_their_rows_are_looked_up()
    {
        TestSteps.Unlucky = true;
        FirstRun();
        // Only the points shards without a point ending in 7 have their square shard beside them.
        ShardAlignment alignment = Alignment();

        long beside = Enumerable.Range(0, alignment.PointShards.Count).Where(shard => alignment.ProductShard(0, shard) is not null).Sum(shard => CampaignStore.Rows(alignment.PointShards[shard]));
        Assert.InRange(beside, 0, 80);
        var edited = EditedCampaign.WithNewCode("Shift");

        RunReport report = RunEdited(edited);

        Assert.Equal(90, report.Steps[1].Counts.Computed);
        Assert.Equal((90, beside), (report.OnStoredInputs, report.InputsAlongside));
        CodeChangeTests.AssertEachShiftIsFromItsOwnSquare(edited, Store.Root);
    }
}
