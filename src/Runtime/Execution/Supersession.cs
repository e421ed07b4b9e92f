using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// Keeps <c>points/</c> and <c>results/&lt;product&gt;/</c> holding the current rows once each, so
/// that any Parquet or HDF5 reader counts and averages the right rows without knowing about keys.
/// Rows that stopped being current (older code, points <c>[Points]</c> no longer yields, a step no
/// longer in the graph, an older type's shards) move to <c>history/</c>, and rows of history that
/// are current again (a point yielded again, an edit undone) move back. A second copy of a current
/// row (left by a crash between a commit and a delete) is dropped: the same key is the same result.
/// A shard whose rows all lie where they belong stays as it is; another is split into a shard of
/// each side, both committed before it is deleted, so a crash in between leaves a row twice (the
/// next pass drops the copy), never zero times. Nothing else is deleted: history is removed only by
/// <c>prune</c>. Run under the compaction lock.
/// </summary>
internal sealed class Supersession<TPoint>
{
    private readonly CampaignStore _store;
    private readonly CampaignDefinition<TPoint> _definition;
    private readonly CampaignGraph _graph;
    private readonly CurrentPoints _points;
    private readonly Func<int, HashSet<Guid>> _globalKeys;
    private readonly KnownCurrent? _known;
    private readonly KeyChain _chain;

    /// <param name="store">The store.</param>
    /// <param name="definition">The campaign.</param>
    /// <param name="points">The points [Points] yields now.</param>
    /// <param name="globalKey">The key of a global step's current result, when a run knows it from
    /// memory (<see cref="RunKeys"/>); otherwise (null, or a grouped step's) it is found from the store.</param>
    /// <param name="known">What a run knows of where the current rows lie, to skip directories that are already tidy.</param>
    public Supersession(CampaignStore store, CampaignDefinition<TPoint> definition, CurrentPoints points, Func<int, PointId?>? globalKey = null, KnownCurrent? known = null)
    {
        _known = known;
        _store = store;
        _definition = definition;
        _graph = definition.Graph;
        _points = points;
        _chain = new KeyChain(_graph);
        // What the run does not know from memory (a grouped step's keys) is found from the store.
        var fromStore = new CurrentResults<TPoint>(definition, store, points);
        _globalKeys = step => globalKey?.Invoke(step) is PointId key ? [key.ToGuid()] : fromStore.CurrentKeys(step);
    }

    /// <summary>Moves every row to the side it belongs on; returns the shards written and removed by splitting (a whole shard moved is neither).</summary>
    public (int Written, int Removed) Run()
    {
        var changed = (Written: 0, Removed: 0);
        var seenPoints = new HashSet<Guid>();
        Add(ref changed, Sort(_store.PointsDirectory, () => ProductBuffer.Points(_definition.CreatePointColumns()), _store.PointsFormat, "points", _known?.Points,
            (buffer, row) => Place(_points.Contains(buffer.PointIds[row]), seenPoints, buffer.PointIds[row])));

        for (int step = 0; step < _graph.Steps.Count; step++)
        {
            StepInfo info = _graph.Steps[step];
            var seen = new HashSet<Guid>();
            int bit = step;
            Func<ProductBuffer, int, RowPlace> placeOf = step < _graph.PerPointCount
                ? (buffer, row) => Place(_chain.IsCurrent(buffer.PointIds[row], buffer.ResultKeys[row], bit) && _points.Contains(buffer.PointIds[row]), seen, buffer.PointIds[row])
                : _globalKeys(step) is { Count: > 0 } keys
                    ? (buffer, row) => Place(keys.Contains(buffer.ResultKeys[row]), seen, buffer.ResultKeys[row])
                    : (_, _) => RowPlace.History;
            long? expected = step < _graph.PerPointCount ? _known?.Results(step) : null;
            Add(ref changed, Sort(_store.ProductDirectory(info.Product), () => ProductReader.Empty(_definition, bit), _store.ProductFormat(info), info.Product, expected, placeOf));
        }

        // A product no step makes any more: all of it is history.
        foreach (string product in _store.StoredProducts().Where(p => _graph.StepOf(p) < 0))
        {
            string directory = _store.ProductDirectory(product);
            foreach (string shard in _store.Shards(directory))
            {
                MoveWhole(shard, _store.HistoryOf(directory));
            }
        }

        return changed;
    }

    /// <summary>A current row goes to the results side the first time its point (or key) is met, and is dropped after.</summary>
    private static RowPlace Place(bool current, HashSet<Guid> seen, Guid id) =>
        !current ? RowPlace.History : seen.Add(id) ? RowPlace.Results : RowPlace.Dropped;

    private static void Add(ref (int Written, int Removed) total, (int Written, int Removed) more) =>
        total = (total.Written + more.Written, total.Removed + more.Removed);

    /// <summary>
    /// Sorts the rows of one directory and its history by <paramref name="placeOf"/> (called once
    /// per row, results side first). With what the run knows: history is read only when a current row
    /// lies there, and the directory not at all when it holds exactly <paramref name="expected"/> rows.
    /// </summary>
    private (int Written, int Removed) Sort(string directory, Func<ProductBuffer> create, IShardFormat format, string content, long? expected, Func<ProductBuffer, int, RowPlace> placeOf)
    {
        string history = _store.HistoryOf(directory);
        bool readHistory = _known is not { InHistory: false };
        bool tidy = expected is long rows && _known is { } known && known.AllCurrent(_store, directory, rows);
        IEnumerable<(string, bool)> shards = tidy ? [] : _store.Shards(directory).Select(s => (s, true));
        if (readHistory)
        {
            shards = shards.Concat(_store.Shards(history).Select(s => (s, false)));
        }

        ProductBuffer template = create();
        var changed = (Written: 0, Removed: 0);
        foreach ((string shard, bool inResults) in shards.ToArray())
        {
            template.Clear();
            if (!_store.Read(shard, template.Keys, template.Schema))
            {
                // An older type's shard holds no current row; an unreadable one stays where it is.
                if (inResults && CampaignStore.HoldsOtherSchema(shard, template.Schema))
                {
                    MoveWhole(shard, history);
                }

                continue;
            }

            var places = new RowPlace[template.Count];
            for (int row = 0; row < places.Length; row++)
            {
                places[row] = placeOf(template, row);
            }

            RowPlace here = inResults ? RowPlace.Results : RowPlace.History;
            if (Array.TrueForAll(places, p => p == here))
            {
                continue;
            }

            if (Array.TrueForAll(places, p => p == (inResults ? RowPlace.History : RowPlace.Results)))
            {
                MoveWhole(shard, inResults ? history : directory);
                continue;
            }

            Add(ref changed, Split(shard, create, places, format, directory, history, content));
        }

        return changed;
    }

    /// <summary>Writes the current rows of a shard to <paramref name="directory"/> and the others to <paramref name="history"/>, leaving out dropped ones, then deletes it.</summary>
    private (int Written, int Removed) Split(string shard, Func<ProductBuffer> create, RowPlace[] places, IShardFormat format, string directory, string history, string content)
    {
        ProductBuffer template = create();
        if (!_store.Read(shard, template.All, template.Schema))
        {
            return (0, 0);
        }

        ProductBuffer kept = create();
        ProductBuffer moved = create();
        for (int row = 0; row < places.Length; row++)
        {
            if (places[row] != RowPlace.Dropped)
            {
                (places[row] == RowPlace.Results ? kept : moved).AppendRow(template, row);
            }
        }

        int written = 0;
        foreach ((ProductBuffer rows, string target) in new[] { (kept, directory), (moved, history) })
        {
            using ShardSink sink = _store.CreateSink(format, target, content, long.MaxValue, TimeSpan.MaxValue);
            sink.Append(rows.All);
            sink.Commit();
            written += sink.FilesCommitted;
            KillPoint.Pass(KillPoint.HistoryCommitted);
        }

        File.Delete(shard);
        return (written, 1);
    }

    /// <summary>Moves a whole shard into <paramref name="target"/> under the same name: one rename, never a copy.</summary>
    private static void MoveWhole(string shard, string target)
    {
        Directory.CreateDirectory(target);
        File.Move(shard, Path.Combine(target, Path.GetFileName(shard)), overwrite: false);
    }
}
