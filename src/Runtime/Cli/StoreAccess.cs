using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>Opens an existing store for the read-only verbs.</summary>
internal static class StoreAccess
{
    public static CampaignStore OpenExisting<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line) =>
        CampaignStore.Open(line.Get("--store", "campaign"), definition.Graph.Name, GraphSignature.Of(definition), create: false);
}
