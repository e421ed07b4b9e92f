using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary><c>compact</c>: moves what stopped being current to history, then merges the store's small shards into files of up to <c>--rows</c> rows.</summary>
internal static class CompactCommand
{
    public static int Execute<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout)
    {
        long rows = line.PositiveLong("--rows", RunOptions.DefaultRowsPerFile);
        CampaignStore store = StoreAccess.OpenExisting(definition, line);
        using CurrentPoints points = CurrentPoints.Enumerate(definition);
        Compaction.Outcome outcome = Compaction.Run(store, definition, points, globalKey: null, known: null, rows)
            ?? throw StoreLock.Busy(store);
        IReadOnlyList<Compaction.Result> results = outcome.Directories;
        if (line.Has("--json"))
        {
            JsonOutput.WriteLine(stdout, json =>
            {
                json.WriteStartObject();
                foreach (Compaction.Result r in results)
                {
                    json.WriteStartObject(Path.GetRelativePath(store.Root, r.Directory));
                    json.WriteNumber("before", r.Before);
                    json.WriteNumber("after", r.After);
                    json.WriteNumber("rows_merged", r.Rows);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            });
        }
        else
        {
            var table = new TextTable("directory", "files before", "files after", "rows merged");
            foreach (Compaction.Result r in results)
            {
                table.Add(Path.GetRelativePath(store.Root, r.Directory), TextTable.Number(r.Before), TextTable.Number(r.After), TextTable.Number(r.Rows));
            }

            table.WriteTo(stdout);
            stdout.WriteLine($"{TextTable.Number(results.Sum(r => r.Before))} files before, {TextTable.Number(results.Sum(r => r.After))} after");
        }

        return ExitCodes.Success;
    }
}
