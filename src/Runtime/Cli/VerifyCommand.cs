using System.IO;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary><c>verify</c>: reads every shard of the store whole and names each damaged one; exit 4 when one is.</summary>
internal static class VerifyCommand
{
    public static int Execute<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout)
    {
        CampaignStore store = StoreAccess.OpenExisting(definition, line);
        (var damaged, int count) = StoreVerification.Run(store, definition);
        if (line.Has("--json"))
        {
            JsonOutput.WriteLine(stdout, json =>
            {
                json.WriteStartObject();
                json.WriteNumber("checked", count);
                json.WriteStartArray("damaged");
                foreach (DamagedShard shard in damaged)
                {
                    json.WriteStartObject();
                    json.WriteString("path", Path.GetRelativePath(store.Root, shard.Path));
                    json.WriteString("problem", shard.Problem);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        }
        else
        {
            foreach (DamagedShard shard in damaged)
            {
                stdout.WriteLine($"damaged: {shard.Problem}");
            }

            stdout.WriteLine(damaged.Count == 0
                ? $"{TextTable.Number(count)} shards read whole: none is damaged."
                : $"{TextTable.Number(count)} shards read whole: {damaged.Count} damaged. Move each out of the store; 'run' computes what it held again.");
        }

        return damaged.Count == 0 ? ExitCodes.Success : ExitCodes.Store;
    }
}
