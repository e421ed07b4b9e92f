using System;
using System.Linq;
using System.Text.Json;
using Cairn.Columns;
using Cairn.Storage;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>
/// What a run reads of the store to know what it holds: shards name the digest of their point ids,
/// and a product shard that holds a points shard's very ids under today's key chain is taken with
/// that shard's points instead of being read. These runs have no failing point, so that a run's
/// product shards hold the same points as its points shard.
/// </summary>
[Collection("campaign")]
public sealed class StoredStateTests : ReliableCampaignTests
{
    private JsonDocument Run(Cairn.Hosting.CampaignDefinition<TestPoint> definition)
    {
        var (exit, stdout, stderr) = Cli.RunWith(definition, "run", "--store", Store.Root, "--json");
        Assert.True(exit == ExitCodes.Success, stderr);
        return JsonDocument.Parse(stdout);
    }

    private static long Count(JsonDocument report, string step, string what) =>
        report.RootElement.GetProperty("steps").GetProperty(step).GetProperty(what).GetInt64();

    private static string? Digest(string shard) => CampaignStore.Metadata(shard, StoreLayout.PointIdsKey)[0];

    private static string? Chain(string shard) => CampaignStore.Metadata(shard, StoreLayout.KeyChainKey)[0];

    [Fact]
    public void Every_shard_of_points_and_results_names_the_digest_of_its_point_ids_in_row_order()
    {
        Run(Campaign.Definition).Dispose();
        CampaignStore store = CampaignStore.Open(Store.Root, Campaign.Definition.Graph.Name, create: false);

        var ids = new Column<Guid>(StoreLayout.PointIdColumn);
        string points = Assert.Single(Store.Files("points"));
        Assert.True(store.Read(points, [ids], ProductBuffer.Points(Campaign.Definition.CreatePointColumns()).Schema));
        Assert.Equal(100, ids.Count);
        Assert.Equal(PointIdsDigest.Of(ids.Values), Digest(points));

        // Square's shard is Parquet, Shift's HDF5: each holds the 100 points, in the order the points shard does.
        foreach ((string directory, int step) in new[] { ("results/square", 0), ("results/shift", 1) })
        {
            string shard = Assert.Single(Store.Files(directory));
            ProductBuffer rows = ProductReader.Empty(Campaign.Definition, step);
            rows.ReadPointIds(store, shard);
            Assert.Equal(ids.Values.ToArray(), rows.PointIds.Values.ToArray());
            Assert.Equal(Digest(points), Digest(shard));
        }

        // The order counts: the same ids reversed have another digest.
        Guid[] reversed = ids.Values.ToArray();
        Array.Reverse(reversed);
        Assert.NotEqual(Digest(points), PointIdsDigest.Of(reversed));
    }

    [Fact]
    public void A_rerun_takes_results_that_hold_the_points_shards_ids_as_current_and_computes_nothing()
    {
        Run(Campaign.Definition).Dispose();
        TestSteps.ResetCalls();

        using JsonDocument again = Run(Campaign.Definition);

        Assert.Equal((0, 100), (Count(again, "Square", "computed"), Count(again, "Square", "cached")));
        Assert.Equal((0, 100), (Count(again, "Shift", "computed"), Count(again, "Shift", "cached")));
        Assert.Equal(0, TestSteps.SquareCalls);
    }

    [Fact]
    public void Results_back_from_history_after_a_reverted_edit_are_current_and_go_back_to_the_results()
    {
        Run(Campaign.Definition).Dispose();
        string original = Chain(Assert.Single(Store.Files("results/shift")))!;
        Run(EditedCampaign.WithNewCode("Shift")).Dispose();
        // The edit's run moved the original shard whole to history: it still names its chain and the points' ids.
        string moved = Assert.Single(Store.Files("history/results/shift"));
        Assert.Equal(original, Chain(moved));
        Assert.Equal(Digest(Assert.Single(Store.Files("points"))), Digest(moved));

        TestSteps.ResetCalls();
        using (JsonDocument back = Run(Campaign.Definition))
        {
            Assert.Equal((0, 100), (Count(back, "Shift", "computed"), Count(back, "Shift", "cached")));
            Assert.Equal(0, Count(back, "Mean", "computed"));
        }

        // The history pass saw that current rows lay in history: they are back in results/shift, and
        // the edit's rows in history.
        Assert.Equal(original, Chain(Assert.Single(Store.Files("results/shift"))));
        Assert.DoesNotContain(original, Store.Files("history/results/shift").Select(Chain));
        Assert.Equal(Enumerable.Range(0, 100).Average(i => ((double)i * i) - i), Campaign.Results.Mean(Store.Root).Average, 9);
    }
}
