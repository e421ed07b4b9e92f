using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>What the verbs read of the command line about the store: the step of a product, a new store's format, an existing store opened.</summary>
internal static class StoreAccess
{
    /// <summary>The step that outputs <paramref name="product"/>.</summary>
    /// <exception cref="UsageException">No step outputs it; the message lists the products.</exception>
    public static int StepOf(CampaignGraph graph, string product)
    {
        int step = graph.StepOf(product);
        return step >= 0 ? step
            : throw new UsageException($"no product '{product}'; the products are: {string.Join(", ", System.Linq.Enumerable.Select(graph.Steps, s => s.Product))}");
    }

    /// <summary>The container a new store gets from <c>--format</c>; the default when not given (an existing store keeps its own).</summary>
    public static Container FormatOf(CommandLine line) =>
        !line.Has("--format") ? Container.Default
        : line.Choice("--format") == "hdf5" ? Container.Hdf5 : Container.Parquet;

    /// <summary>Opens the store of <c>--store</c>, skipping unreadable shards with a warning when <c>--skip-corrupt</c> is given.</summary>
    public static CampaignStore OpenExisting<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line)
    {
        CampaignStore store = CampaignStore.Open(line.Store(), definition.Graph.Name, create: false);
        store.SkipCorrupt = line.Has("--skip-corrupt");
        store.Warn = line.Warn;
        return store;
    }
}
