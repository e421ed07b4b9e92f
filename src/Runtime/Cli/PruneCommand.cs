using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>
/// <c>prune</c>: removes history (what stopped being current: older code, points no longer
/// yielded, removed steps): <c>--all</c> of it, <c>--before DATE</c>, or all but the newest
/// <c>--keep K</c> versions of each product; <c>--dry-run</c> lists what would go and removes nothing.
/// </summary>
internal static class PruneCommand
{
    public static int Execute<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout)
    {
        PruneRule rule = Rule(line);
        bool dryRun = line.Has("--dry-run");
        CampaignStore store = StoreAccess.OpenExisting(definition, line);
        IReadOnlyList<Pruning.Result> results = Pruning.Run(store, definition, rule, dryRun) ?? throw StoreLock.Busy(store);
        if (line.Has("--json"))
        {
            JsonOutput.WriteLine(stdout, json =>
            {
                json.WriteStartObject();
                json.WriteBoolean("dry_run", dryRun);
                json.WriteStartObject("directories");
                foreach (Pruning.Result r in results)
                {
                    json.WriteStartObject(Path.GetRelativePath(store.Root, r.Directory));
                    json.WriteNumber("files", r.Files);
                    json.WriteNumber("files_removed", r.FilesRemoved);
                    json.WriteNumber("rows", r.Rows);
                    json.WriteNumber("rows_removed", r.RowsRemoved);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.WriteEndObject();
            });
            return ExitCodes.Success;
        }

        var table = new TextTable("directory", "files", dryRun ? "would remove" : "removed", "rows", dryRun ? "rows that would go" : "rows removed");
        foreach (Pruning.Result r in results)
        {
            table.Add(Path.GetRelativePath(store.Root, r.Directory), TextTable.Number(r.Files), TextTable.Number(r.FilesRemoved), TextTable.Number(r.Rows), TextTable.Number(r.RowsRemoved));
        }

        table.WriteTo(stdout);
        long rows = results.Sum(r => r.RowsRemoved);
        stdout.WriteLine(dryRun
            ? $"dry run: {TextTable.Number(rows)} rows of history would be removed; nothing was."
            : $"{TextTable.Number(rows)} rows of history removed; results/ and points/ are as they were.");
        return ExitCodes.Success;
    }

    /// <summary>Exactly one of --all, --before DATE, --keep K.</summary>
    private static PruneRule Rule(CommandLine line)
    {
        int given = (line.Has("--all") ? 1 : 0) + (line.Has("--before") ? 1 : 0) + (line.Has("--keep") ? 1 : 0);
        if (given != 1)
        {
            throw new UsageException("prune takes one of --all, --before DATE (e.g. 2026-11-30) or --keep K (the newest K versions of each product)");
        }

        return new PruneRule(line.Has("--all"), line.Value<DateTime>("--before"), line.Has("--keep") ? line.PositiveInt("--keep", 1) : null);
    }
}
