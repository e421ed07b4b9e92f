using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>
/// The points that wait for stored inputs are ordered by the shard that holds their input, so that a
/// group of them reads a few shards, not all of them.
/// </summary>
[Collection("campaign")]
public sealed class DeferredOrderTests : IDisposable
{
    private readonly TempStore _store = new();

    public DeferredOrderTests()
    {
        TestSteps.PointCount = 100;
        TestSteps.ResetCalls();
    }

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Points_that_load_a_product_are_ordered_by_the_shard_that_holds_their_row_and_keep_their_order_within_it()
    {
        // Shards of about 10 rows, which compaction leaves alone (it merges only those under 5).
        _ = new LocalExecutor<TestPoint>(Campaign.Definition, new RunOptions { Store = _store.Root, RowsPerFile = 10, FlushPoints = 4, MaxChunkSize = 4, Workers = 2 }).Run();
        CampaignStore store = CampaignStore.Open(_store.Root, Campaign.Definition.Graph.Name, create: false);
        IReadOnlyList<string> shards = store.ShardsWithHistory(store.ProductDirectory("square"));
        Assert.True(shards.Count >= 5, $"{shards.Count} shards");
        var shardOf = new Dictionary<Guid, int>();
        ProductBuffer ids = ProductReader.Empty(Campaign.Definition, 0);
        for (int shard = 0; shard < shards.Count; shard++)
        {
            ids.ReadPointIds(store, shards[shard]);
            foreach (Guid id in ids.PointIds.Values)
            {
                shardOf.Add(id, shard);
            }
        }

        // After an edit to Shift, every point whose Square is stored waits to load it: here in
        // descending id order, so that neighbours lie in different shards.
        var edited = EditedCampaign.WithNewCode("Shift");
        DeferredPoint<TestPoint>[] waiting = [.. StoreReader.Points(Campaign.Definition, _store.Root)
            .Where(p => shardOf.ContainsKey(p.Point.ToGuid()))
            .OrderByDescending(p => p.Point)
            .Select(p => new DeferredPoint<TestPoint>(p.Value, p.Point, StepSet.Only(0)))];
        Assert.Equal(90, waiting.Length);

        var order = DeferredOrder<TestPoint>.Arrange(store, edited, new Planner(edited.Graph), waiting, group: 10);

        Assert.Equal(0, order.Step);
        Assert.Equal(waiting.Select(p => p.Id).Order(), order.Points.Select(p => p.Id).Order());
        int[] shardsInOrder = [.. order.Points.Select(p => shardOf[p.Id.ToGuid()])];
        Assert.Equal(shardsInOrder.Order(), shardsInOrder);
        Assert.All(order.Points.GroupBy(p => shardOf[p.Id.ToGuid()]), inShard =>
            Assert.Equal(inShard.Select(p => p.Id).OrderDescending(), inShard.Select(p => p.Id)));
        // A group of the first 10 reads the shards of those 10 (one or two), not all of them.
        Assert.Equal(shardsInOrder.Take(10).Distinct().Select(s => shards[s]).Order(StringComparer.Ordinal), order.ShardsOf(0, 10).Order(StringComparer.Ordinal));
        Assert.InRange(order.ShardsOf(0, 10).Count, 1, 2);

        // Points that fill no more than OrderedAbove groups keep the order they came in.
        var one = DeferredOrder<TestPoint>.Arrange(store, edited, new Planner(edited.Graph), waiting, group: (90 + DeferredOrder<TestPoint>.OrderedAbove - 1) / DeferredOrder<TestPoint>.OrderedAbove);
        Assert.Equal(-1, one.Step);
        Assert.Same(waiting, one.Points);
    }

    [Fact]
    public void A_recompute_in_groups_reads_each_points_own_input_when_the_inputs_lie_in_many_shards()
    {
        _ = new LocalExecutor<TestPoint>(Campaign.Definition, new RunOptions { Store = _store.Root, RowsPerFile = 10, FlushPoints = 4, MaxChunkSize = 4, Workers = 2 }).Run();
        var edited = EditedCampaign.WithNewCode("Shift");

        RunReport report = new LocalExecutor<TestPoint>(edited, new RunOptions { Store = _store.Root, RowsPerFile = 10, DeferredGroup = 7, Workers = 2 }).Run();

        Assert.Equal((0, 90), (report.Steps[0].Counts.Computed, report.Steps[0].Counts.Cached));
        Assert.Equal(90, report.Steps[1].Counts.Computed);
        CodeChangeTests.AssertEachShiftIsFromItsOwnSquare(edited, _store.Root);
    }
}
