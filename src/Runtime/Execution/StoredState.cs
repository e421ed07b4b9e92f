using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;
using Cairn.Columns;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// Which results of the current code the store already holds: for each point id a mask with bit i
/// set when per-point step i's result with the current key is stored, and <see cref="PointBit"/>
/// when the point itself is. Results of older code have other keys and do not count. A run sets
/// <see cref="SeenBit"/> on the points it meets, to tell duplicates, and bit i on the points whose
/// step i it computed, so that afterwards the table tells every point's current results.
/// </summary>
internal static class StoredState
{
    public const ulong PointBit = 1UL << 63;

    public const ulong SeenBit = 1UL << 62;

    /// <summary>Set by a run on a point whose steps wait for stored inputs (<see cref="MetPoint.LoadsStoredInputs"/>).</summary>
    public const ulong WaitingBit = 1UL << 61;

    /// <summary>Set by a run on a waiting point when it hands it to a worker, so that no point runs twice.</summary>
    public const ulong TakenBit = 1UL << 60;

    /// <summary>
    /// Takes a waiting point (<see cref="WaitingBit"/>) to run it: true, with the results of it that
    /// are stored, the first time only (a point that two shards hold is met twice).
    /// </summary>
    public static bool TakeWaiting(PointMasks masks, PointId id, out StepSet stored)
    {
        ulong mask = masks.Get(id);
        stored = StepSet.Of(mask);
        return (mask & WaitingBit) != 0 && (masks.Or(id, TakenBit) & TakenBit) == 0;
    }

    /// <summary>
    /// Reads the point ids and the key columns of every shard. Each of <paramref name="workers"/>
    /// threads fills its own part of the table (<see cref="PointMasks.PartOf"/>), so that filling
    /// it takes no lock; meanwhile the next shard is read (<see cref="ReadAhead{TBuffer}"/>). A
    /// product shard that holds the very ids of a points shard, in its order (their
    /// <see cref="StoreLayout.PointIdsKey"/> is the same), and whose rows are all current
    /// (<see cref="KeyedUnder"/>) is not read: its bit is set with that shard's points. A run
    /// writes a batch's new points and their results together, so in a store that runs made, most
    /// product shards are such.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="definition">The campaign.</param>
    /// <param name="workers">The threads that fill the table.</param>
    /// <param name="history">When given, also receives the bits of what lies in <c>history/</c>: a
    /// point's <see cref="PointBit"/> when its row is there, bit i when its current step-i result is.</param>
    /// <param name="alignment">When given, receives the product shards taken along with each points shard.</param>
    public static PointMasks Load<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, int workers, PointMasks? history = null, ShardAlignment? alignment = null)
    {
        int parts = Math.Max(1, workers);
        CampaignGraph graph = definition.Graph;
        int currentPointShards = store.Shards(store.PointsDirectory).Count;
        IReadOnlyList<string> pointShards = store.ShardsWithHistory(store.PointsDirectory);
        alignment?.PointShards = pointShards;
        ShardSchema pointSchema = ProductBuffer.Points(definition.CreatePointColumns()).Schema;
        var pointShardOf = new Dictionary<string, int>();
        for (int index = 0; index < pointShards.Count; index++)
        {
            if (MetadataOrNone(pointShards[index], StoreLayout.PointIdsKey)[0] is string ids)
            {
                pointShardOf.TryAdd(ids, index);
            }
        }

        // The bits a points shard's rows take in the table and in history, beside PointBit: those of
        // the product shards that hold the same ids and are not read.
        ulong[] along = new ulong[pointShards.Count];
        ulong[] alongHistory = new ulong[pointShards.Count];
        var unread = new List<ProductShard>[graph.PerPointCount];
        var chain = new KeyChain(graph);
        for (int step = 0; step < graph.PerPointCount; step++)
        {
            string directory = store.ProductDirectory(graph.Steps[step].Product);
            int currentShards = store.Shards(directory).Count;
            IReadOnlyList<string> shards = store.ShardsWithHistory(directory);
            string signature = chain.Signature(step).ToString();
            unread[step] = [];
            for (int index = 0; index < shards.Count; index++)
            {
                string?[] entries = MetadataOrNone(shards[index], StoreLayout.KeyChainKey, StoreLayout.PointIdsKey);
                bool keyed = entries[0] == signature;
                bool inHistory = index >= currentShards;
                if (keyed && entries[1] is string ids && pointShardOf.TryGetValue(ids, out int points))
                {
                    along[points] |= StepSet.Only(step).Bits;
                    alongHistory[points] |= inHistory ? StepSet.Only(step).Bits : 0;
                    alignment?.Add(step, points, shards[index]);
                }
                else
                {
                    unread[step].Add(new ProductShard(shards[index], keyed, inHistory));
                }
            }
        }

        // Sized once for the stored points (their shards' row counts), instead of growing through 10^6 inserts.
        var masks = new PointMasks(pointShards.Sum(RowsOrNone));
        try
        {
            ReadAhead(
                pointShards.Count,
                () => new Column<Guid>(StoreLayout.PointIdColumn),
                (ids, index) =>
                {
                    ids.Clear();
                    _ = store.Read(pointShards[index], [ids], pointSchema);
                },
                (ids, index) => Parallel(parts, parts, part =>
                {
                    AddPoints(masks, ids.Values, PointBit | along[index], part, parts);
                    ulong inHistory = (index >= currentPointShards ? PointBit : 0) | alongHistory[index];
                    if (history is not null && inHistory != 0)
                    {
                        AddPoints(history, ids.Values, inHistory, part, parts);
                    }
                }));

            for (int step = 0; step < graph.PerPointCount; step++)
            {
                List<ProductShard> shards = unread[step];
                int bit = step;
                ReadAhead(
                    shards.Count,
                    () => ProductReader.Empty(definition, bit),
                    (keys, index) => ReadRows(store, shards[index].Path, shards[index].Keyed, keys),
                    (keys, index) =>
                    {
                        PointMasks? target = history is not null && shards[index].InHistory ? history : null;
                        bool keyed = shards[index].Keyed;
                        Parallel(parts, parts, part =>
                        {
                            AddCurrent(masks, keyed ? null : new KeyChain(graph), keys, bit, part, parts);
                            if (target is not null)
                            {
                                AddCurrent(target, keyed ? null : new KeyChain(graph), keys, bit, part, parts);
                            }
                        });
                    });
            }

            return masks;
        }
        catch
        {
            masks.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads into <paramref name="keys"/> what tells a shard's current rows: its point ids alone when
    /// it was <paramref name="keyed"/> under today's chain (<see cref="KeyedUnder"/>; every row is
    /// then current), else its ids and keys, for a check of each row.
    /// </summary>
    private static void ReadRows(CampaignStore store, string shard, bool keyed, ProductBuffer keys)
    {
        if (keyed)
        {
            keys.ReadPointIds(store, shard);
        }
        else
        {
            keys.ReadKeys(store, shard);
        }
    }

    /// <summary>
    /// Whether the shard's metadata says that all its rows were keyed under the chain of
    /// <paramref name="signature"/> (<see cref="KeyChain.Signature"/>); false when it says another,
    /// says nothing (an older shard, or one a compaction merged), or cannot be read.
    /// </summary>
    private static bool KeyedUnder(string shard, string signature) => MetadataOrNone(shard, StoreLayout.KeyChainKey)[0] == signature;

    /// <summary>Entries of a shard's metadata, all null when it cannot be read (reading it whole then tells what is wrong).</summary>
    private static string?[] MetadataOrNone(string shard, params string[] keys)
    {
        try
        {
            return CampaignStore.Metadata(shard, keys);
        }
        catch (StoreException)
        {
            return new string?[keys.Length];
        }
    }

    /// <summary>A product shard that is read: whether its rows are all current by its metadata, and whether it lies in <c>history/</c>.</summary>
    private readonly record struct ProductShard(string Path, bool Keyed, bool InHistory);

    /// <summary>A shard's rows by its metadata, 0 when that cannot be read (reading it whole then tells what is wrong).</summary>
    private static long RowsOrNone(string shard)
    {
        try
        {
            return CampaignStore.Rows(shard);
        }
        catch (StoreException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Reads <paramref name="shards"/> shards one after another into one of two buffers
    /// (<paramref name="read"/> is given a shard's index), reading the next on a thread of its own
    /// while <paramref name="process"/> works on the last (with its index), so that the disk and the
    /// decoding overlap the work instead of coming before it. Two buffers, reused shard after shard: fresh memory costs a page
    /// fault per 4 KiB.
    /// </summary>
    private static void ReadAhead<TBuffer>(int shards, Func<TBuffer> create, Action<TBuffer, int> read, Action<TBuffer, int> process)
    {
        if (shards == 0)
        {
            return;
        }

        TBuffer[] buffers = [create(), create()];
        read(buffers[0], 0);
        for (int index = 0; index < shards; index++)
        {
            TBuffer current = buffers[index % 2];
            TBuffer next = buffers[(index + 1) % 2];
            int following = index + 1;
            Task? ahead = following < shards ? Task.Factory.StartNew(() => read(next, following), TaskCreationOptions.LongRunning) : null;
            try
            {
                process(current, index);
            }
            catch
            {
                // The read under way must end before its buffer is dropped; the error to report is this one.
                ahead?.ContinueWith(static _ => { }, TaskScheduler.Default).Wait();
                throw;
            }

            // A failed read is thrown as it was thrown.
            ahead?.GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// The bits of what the shards named with <paramref name="tag"/> hold: what an earlier attempt
    /// of the same Slurm task committed (a task that Slurm requeued starts again from its plan).
    /// Only those shards are read, so the cost does not grow with the store.
    /// </summary>
    public static PointMasks LoadTagged<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, string tag)
    {
        CampaignGraph graph = definition.Graph;
        var masks = new PointMasks();
        try
        {
            var chain = new KeyChain(graph);
            for (int step = 0; step < graph.PerPointCount; step++)
            {
                ProductBuffer keys = ProductReader.Empty(definition, step);
                string signature = chain.Signature(step).ToString();
                foreach (string shard in store.Shards(store.ProductDirectory(graph.Steps[step].Product)).Where(s => ShardWriter.IsTagged(s, tag)))
                {
                    bool keyed = KeyedUnder(shard, signature);
                    ReadRows(store, shard, keyed, keys);
                    AddCurrent(masks, keyed ? null : chain, keys, step, part: 0, parts: 1);
                }
            }

            return masks;
        }
        catch
        {
            masks.Dispose();
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddPoints(PointMasks masks, ReadOnlySpan<Guid> ids, ulong bits, int part, int parts)
    {
        for (int row = 0; row < ids.Length; row++)
        {
            PrefetchAhead(masks, ids, row, part, parts);

            var id = PointId.FromGuid(ids[row]);
            if (PointMasks.PartOf(id, parts) == part)
            {
                masks.OrInPart(id, bits);
            }
        }
    }

    /// <summary>
    /// Sets bit <paramref name="step"/> for the rows of the part whose key is the current code's, by
    /// <paramref name="chain"/>; for every row of the part when there is none to ask, as for a shard
    /// keyed under the current chain (<see cref="KeyedUnder"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddCurrent(PointMasks masks, KeyChain? chain, ProductBuffer keys, int step, int part, int parts)
    {
        ReadOnlySpan<Guid> pointIds = keys.PointIds.Values;
        ReadOnlySpan<Guid> resultKeys = keys.ResultKeys.Values;
        for (int row = 0; row < pointIds.Length; row++)
        {
            PrefetchAhead(masks, pointIds, row, part, parts);

            var id = PointId.FromGuid(pointIds[row]);
            if (PointMasks.PartOf(id, parts) == part && (chain is null || chain.IsCurrent(pointIds[row], resultKeys[row], step)))
            {
                masks.OrInPart(id, StepSet.Only(step).Bits);
            }
        }
    }

    /// <summary>Announces the lookup of the row <see cref="PointMasks.PrefetchDistance"/> ahead, when that row is this part's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchAhead(PointMasks masks, ReadOnlySpan<Guid> ids, int row, int part, int parts)
    {
        int ahead = row + PointMasks.PrefetchDistance;
        if (ahead < ids.Length)
        {
            var next = PointId.FromGuid(ids[ahead]);
            if (PointMasks.PartOf(next, parts) == part)
            {
                masks.Prefetch(next);
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> for 0 to <paramref name="count"/> - 1 on up to <paramref name="threads"/> threads; rethrows the first error as it was thrown.</summary>
    private static void Parallel(int count, int threads, Action<int> body)
    {
        try
        {
            System.Threading.Tasks.Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
