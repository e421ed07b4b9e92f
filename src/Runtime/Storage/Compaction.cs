using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cairn.Columns;
using Cairn.Hosting;

namespace Cairn.Storage;

/// <summary>
/// First moves what stopped being current to the store's history and what is current again back
/// (<see cref="Execution.Supersession{TPoint}"/>), then merges the committed shards of every
/// directory of a store and of its history, from all writers, into files of up to a given number
/// of rows, in the format each directory is written in now (so a product whose container changed is
/// converted). Shards of at least half that many rows in the right format are left alone (see
/// <see cref="IsSmall"/>). Each merged file is committed before its sources are deleted: a kill
/// in between leaves rows twice, never zero times. Cairn's readers count such a row once, and the
/// next compaction removes the copy: a compaction marks the store
/// (<see cref="StoreLayout.UnfinishedCompaction"/>) until it ends, and the one after a killed one
/// merges whole every directory whose rows are not all distinct (<see cref="StoreDirectory.Identity"/>).
/// One compaction at a time: a second one finds the lock taken and does nothing. Shards that cannot
/// be read stop it, or with <c>--skip-corrupt</c> stay as they are.
/// </summary>
internal static class Compaction
{
    /// <summary>One directory's shard count before and after, and the files merging wrote and removed.</summary>
    public sealed record Result(string Directory, int Before, int After, long Rows, int Written, int Removed);

    /// <summary>Every directory's result, and the files written and removed in all, moves to history included.</summary>
    public sealed record Outcome(IReadOnlyList<Result> Directories, int Written, int Removed);

    /// <summary>Compacts every directory; null when another compaction holds the lock.</summary>
    /// <param name="store">The store, with its <see cref="CampaignStore.SkipCorrupt"/> setting.</param>
    /// <param name="definition">The campaign: which directories there are, and their columns.</param>
    /// <param name="points">The points [Points] yields now: whose rows are current.</param>
    /// <param name="globalKey">The keys of the global steps' current results, when a run knows them from memory.</param>
    /// <param name="known">What a run knows of where the current rows lie, so that tidy directories are not read again.</param>
    /// <param name="rowsPerFile">Small shards (<see cref="IsSmall"/>) are merged, into files of about this many rows.</param>
    /// <param name="leaveUnreadable">Leave shards that cannot be read as they are, with a warning, whatever <see cref="CampaignStore.SkipCorrupt"/>
    /// says: the tidying at the end of a run must not fail it.</param>
    public static Outcome? Run<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, Execution.CurrentPoints points, Func<int, PointId?>? globalKey, Execution.KnownCurrent? known, long rowsPerFile, bool leaveUnreadable = false)
    {
        using StoreLock? held = StoreLock.TryTake(store);
        if (held is null)
        {
            return null;
        }

        KillPoint.Pass(KillPoint.CompactStarting);
        string unfinished = Path.Combine(store.Root, StoreLayout.UnfinishedCompaction);
        bool recover = File.Exists(unfinished);
        File.WriteAllBytes(unfinished, []);
        File.WriteAllBytes(Path.Combine(store.Root, StoreLayout.LastCompaction), []);
        bool skip = store.SkipCorrupt;
        store.SkipCorrupt |= leaveUnreadable;
        try
        {
            (int written, int removed) = new Execution.Supersession<TPoint>(store, definition, points, globalKey, known).Run();
            List<Result> directories = All(store, definition, rowsPerFile, recover);
            File.Delete(unfinished);
            return new Outcome(directories, written + directories.Sum(d => d.Written), removed + directories.Sum(d => d.Removed));
        }
        finally
        {
            store.SkipCorrupt = skip;
        }
    }

    /// <summary>
    /// Whether a shard is merged with the other small ones: under half of <paramref name="rowsPerFile"/>
    /// rows. The last shard of a run is partly full; were it merged whenever it is under
    /// <paramref name="rowsPerFile"/>, every run that adds a few points would write that shard's
    /// rows again (10^6 rows per directory, 3 of the 10 s a run adding 10^3 points to 10^7 took).
    /// A directory still holds at most about twice results / <paramref name="rowsPerFile"/> files.
    /// </summary>
    internal static bool IsSmall(long rows, long rowsPerFile) => rows < rowsPerFile / 2;

    private static List<Result> All<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, long rowsPerFile, bool recover) =>
        StoreDirectories.Of(store, definition).Select(d => Directory(store, d, rowsPerFile, recover)).ToList();

    /// <summary>
    /// Merges a directory's small shards and those in another format. After a killed compaction
    /// (<paramref name="recover"/>), a directory whose rows are not all distinct is merged whole,
    /// every row once.
    /// </summary>
    private static Result Directory(CampaignStore store, StoreDirectory directory, long rowsPerFile, bool recover)
    {
        IReadOnlyList<string> shards = store.Shards(directory.Path);
        bool copies = recover && HoldsCopies(store, directory, shards);
        var sources = new List<string>();
        bool anyConverted = false;
        foreach (string shard in shards)
        {
            bool converted = !shard.EndsWith(directory.Format.Extension, StringComparison.Ordinal);
            long rows;
            try
            {
                rows = CampaignStore.Rows(shard);
            }
            catch (StoreException e) when (store.SkipCorrupt)
            {
                store.Warn($"warning: not compacted, left as it is: {e.Problem}");
                continue;
            }

            if (converted || IsSmall(rows, rowsPerFile) || copies)
            {
                sources.Add(shard);
                anyConverted |= converted;
            }
        }

        long total = 0;
        int written = 0;
        int removed = 0;
        if (sources.Count > 1 || anyConverted || copies)
        {
            Column[] buffer = directory.Columns.Select(c => c.CreateEmpty()).ToArray();
            SeenRows? seen = copies ? new SeenRows(directory, buffer) : null;
            ShardSchema current = ShardSchema.Of(buffer);
            using ShardSink sink = store.CreateSink(directory.Format, directory.Path, directory.Content, rowsPerFile, TimeSpan.MaxValue);
            var merged = new List<string>();
            foreach (string source in sources)
            {
                foreach (Column column in buffer)
                {
                    column.Clear();
                }

                if (!store.Read(source, buffer, current))
                {
                    continue;
                }

                int committed = sink.FilesCommitted;
                sink.Append(seen?.Distinct(buffer) ?? buffer);
                total += buffer[0].Count;
                merged.Add(source);
                if (sink.FilesCommitted > committed)
                {
                    KillPoint.Pass(KillPoint.CompactCommitted);
                    removed += Delete(merged);
                }
            }

            sink.Commit();
            KillPoint.Pass(KillPoint.CompactCommitted);
            removed += Delete(merged);
            written = sink.FilesCommitted;
        }

        return new Result(directory.Path, shards.Count, store.Shards(directory.Path).Count, total, written, removed);
    }

    /// <summary>Whether two rows of the directory's shards are copies of one row.</summary>
    private static bool HoldsCopies(CampaignStore store, StoreDirectory directory, IReadOnlyList<string> shards)
    {
        Column[] columns = SeenRows.IdentityColumns(directory);
        ShardSchema schema = ShardSchema.Of(directory.Columns);
        var seen = new SeenRows(directory, columns);
        foreach (string shard in shards)
        {
            foreach (Column column in columns)
            {
                column.Clear();
            }

            bool read;
            try
            {
                read = store.Read(shard, columns, schema);
            }
            catch (StoreException)
            {
                continue;
            }

            for (int row = 0; read && row < columns[0].Count; row++)
            {
                if (!seen.Add(columns, row))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Deletes sources whose rows are all in committed merged files; returns how many.</summary>
    private static int Delete(List<string> sources)
    {
        foreach (string source in sources)
        {
            File.Delete(source);
            KillPoint.Pass(KillPoint.CompactDeleted);
        }

        int count = sources.Count;
        sources.Clear();
        return count;
    }
}
