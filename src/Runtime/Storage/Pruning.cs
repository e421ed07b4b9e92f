using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cairn.Columns;
using Cairn.Hosting;

namespace Cairn.Storage;

/// <summary>Which rows of history <c>prune</c> removes: all, those made before a time, or all but the newest versions.</summary>
/// <param name="All">Every row of history.</param>
/// <param name="Before">Rows computed before this time (UTC): by their provenance, else by when their shard was written.</param>
/// <param name="Keep">Per product, all but the rows of the <c>Keep</c> newest code versions (by their provenance's step hash); points are kept.</param>
internal sealed record PruneRule(bool All, DateTime? Before, int? Keep);

/// <summary>
/// Removes rows from the store's history (<c>history/</c>), never from <c>points/</c> or
/// <c>results/</c>, under the store's rewrite lock. A shard whose rows all go is deleted; one of
/// the current type that keeps some is rewritten with those (committed before it is deleted); one of
/// an older type that keeps some stays whole. Provenance and stored code stay: they are small, and
/// say what was computed.
/// </summary>
internal static class Pruning
{
    /// <summary>One history directory: its shards and rows, and how many of them go.</summary>
    public sealed record Result(string Directory, int Files, int FilesRemoved, long Rows, long RowsRemoved);

    /// <summary>Prunes every history directory (or, with <paramref name="dryRun"/>, only counts what would go); null when the lock is held.</summary>
    public static IReadOnlyList<Result>? Run<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, PruneRule rule, bool dryRun)
    {
        using StoreLock? held = StoreLock.TryTake(store);
        if (held is null)
        {
            return null;
        }

        Dictionary<Guid, (string Hash, DateTime Start)> made = Provenance(store);
        var results = new List<Result>();
        results.Add(Directory(store, store.HistoryOf(store.PointsDirectory), () => ProductBuffer.Points(definition.CreatePointColumns()),
            store.PointsFormat, "points", rule with { Keep = null }, made, dryRun, keyColumn: StoreLayout.PointIdColumn));
        foreach (string product in store.StoredProducts())
        {
            int step = definition.Graph.StepOf(product);
            Func<ProductBuffer>? create = step < 0 ? null : () => ProductReader.Empty(definition, step);
            IShardFormat format = step < 0 ? store.PointsFormat : store.ProductFormat(definition.Graph.Steps[step]);
            results.Add(Directory(store, store.HistoryOf(store.ProductDirectory(product)), create, format, product, rule, made, dryRun, keyColumn: StoreLayout.KeyColumn));
        }

        return results.Where(r => r.Files > 0).ToList();
    }

    /// <summary>The step hash and start of the newest run of every key in provenance.</summary>
    private static Dictionary<Guid, (string Hash, DateTime Start)> Provenance(CampaignStore store)
    {
        var rows = new ProvenanceBuffer();
        store.ReadAll(store.ProvenanceDirectory, [rows.Key, rows.StepHash, rows.Start], rows.Schema);
        var made = new Dictionary<Guid, (string, DateTime)>(rows.Count);
        for (int row = 0; row < rows.Count; row++)
        {
            if (!made.TryGetValue(rows.Key[row], out var known) || rows.Start[row] > known.Item2)
            {
                made[rows.Key[row]] = (rows.StepHash[row], rows.Start[row]);
            }
        }

        return made;
    }

    private static Result Directory(CampaignStore store, string directory, Func<ProductBuffer>? create, IShardFormat format, string content,
        PruneRule rule, Dictionary<Guid, (string Hash, DateTime Start)> made, bool dryRun, string keyColumn)
    {
        IReadOnlyList<string> shards = store.Shards(directory);
        // Each shard's keys, with the version and time of each row.
        var rows = new List<(string Shard, (string Version, DateTime Time)[] Rows)>();
        foreach (string shard in shards)
        {
            var keys = new Column<Guid>(keyColumn);
            if (!store.Read(shard, [keys], ShardSchema.Containing([keys])))
            {
                continue;
            }

            DateTime written = ShardWriter.OpenedTime(shard) ?? File.GetLastWriteTimeUtc(shard);
            rows.Add((shard, [.. keys.Values.ToArray().Select(key => made.TryGetValue(key, out var run) ? (run.Hash, run.Start) : ("", written))]));
        }

        // --keep: the newest versions, by the newest run of each; rows of unknown version count as one, as old as their shard.
        HashSet<string>? kept = rule.Keep is int keep
            ? rows.SelectMany(s => s.Rows).GroupBy(r => r.Version).OrderByDescending(g => g.Max(r => r.Time)).Take(keep).Select(g => g.Key).ToHashSet(StringComparer.Ordinal)
            : null;
        bool Goes((string Version, DateTime Time) row) =>
            rule.All || (rule.Before is DateTime before && row.Time < before) || (kept is not null && !kept.Contains(row.Version));

        int filesRemoved = 0;
        long total = 0;
        long removed = 0;
        foreach ((string shard, (string Version, DateTime Time)[] shardRows) in rows)
        {
            bool[] goes = [.. shardRows.Select(Goes)];
            int going = goes.Count(g => g);
            total += goes.Length;
            if (going == 0)
            {
                continue;
            }

            if (going == goes.Length)
            {
                filesRemoved++;
                removed += going;
                if (!dryRun)
                {
                    File.Delete(shard);
                }

                continue;
            }

            // Some rows stay: rewritten without the others, when the shard is of the current type.
            ProductBuffer? all = create?.Invoke();
            if (all is null || CampaignStore.HoldsOtherSchema(shard, all.Schema))
            {
                continue;
            }

            removed += going;
            if (!dryRun && store.Read(shard, all.All, all.Schema))
            {
                ProductBuffer rest = create!();
                for (int row = 0; row < goes.Length; row++)
                {
                    if (!goes[row])
                    {
                        rest.AppendRow(all, row);
                    }
                }

                using (ShardSink sink = store.CreateSink(format, directory, content, long.MaxValue, TimeSpan.MaxValue))
                {
                    sink.Append(rest.All);
                    sink.Commit();
                }

                File.Delete(shard);
            }
        }

        return new Result(directory, shards.Count, filesRemoved, total, removed);
    }
}
