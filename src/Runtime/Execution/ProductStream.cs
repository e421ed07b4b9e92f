using System;
using System.Collections.Generic;
using Cairn.Columns;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// The current values of a per-point product, read shard by shard for a reduction that streams
/// them (an <c>IEnumerable&lt;T&gt;</c> input): memory holds one shard, not the product. Values
/// come in the order the store holds them (which compaction may change), each current point's once.
/// A first pass over the key columns counts the current rows: more than the run expects means a
/// crash left copies, which the values pass then skips by point id (memory grows with the points
/// only then); fewer means another writer moved rows since the run looked. When the run knows that
/// every row of the product is current (<see cref="KnownCurrent.AllCurrent"/>: a first run, or one
/// whose earlier results are all still current), there is neither the first pass nor a check per
/// row, and only the value columns are read.
/// </summary>
internal sealed class ProductStream<TPoint> : IValueStream
{
    private readonly CampaignStore _store;
    private readonly CampaignDefinition<TPoint> _definition;
    private readonly int _producer;
    private readonly CurrentPoints _points;
    private readonly long _expected;
    private readonly IReadOnlyList<string> _shards;
    private readonly bool _copies;
    private readonly bool _allCurrent;

    /// <param name="store">The store.</param>
    /// <param name="definition">The campaign.</param>
    /// <param name="producer">The per-point step whose product is streamed.</param>
    /// <param name="points">The current points.</param>
    /// <param name="expected">How many current rows the run found.</param>
    /// <param name="known">What the run knows of where the current rows lie; null to check every row.</param>
    /// <exception cref="StoreException">The product holds fewer current rows than the run found.</exception>
    public ProductStream(CampaignStore store, CampaignDefinition<TPoint> definition, int producer, CurrentPoints points, long expected, KnownCurrent? known = null)
    {
        _store = store;
        _definition = definition;
        _producer = producer;
        _points = points;
        _expected = expected;
        string directory = store.ProductDirectory(definition.Graph.Steps[producer].Product);
        if (known is not null && known.Results(producer) == expected && known.AllCurrent(store, directory, expected))
        {
            _allCurrent = true;
            _shards = store.Shards(directory);
            return;
        }

        _shards = store.ShardsWithHistory(directory);
        long current = 0;
        var keys = ProductBuffer.PerPoint(definition.CreateColumns(producer));
        var chain = new KeyChain(definition.Graph);
        foreach (string shard in _shards)
        {
            keys.ReadKeys(store, shard);
            for (int row = 0; row < keys.Count; row++)
            {
                current += IsCurrent(chain, keys, row) ? 1 : 0;
            }
        }

        if (current < expected)
        {
            throw Changed();
        }

        _copies = current > expected;
    }

    /// <summary>How many values the last full enumeration gave.</summary>
    public long Given { get; private set; }

    /// <summary>Whether an enumeration ran to its end (a step may stop reading early).</summary>
    public bool Finished { get; private set; }

    /// <summary>The current values, shard by shard.</summary>
    public IEnumerable<T> Values<T>()
    {
        var shard = ProductBuffer.PerPoint(_definition.CreateColumns(_producer));
        var values = (RecordColumns<T>)shard.Values;
        var chain = new KeyChain(_definition.Graph);
        HashSet<Guid>? seen = _copies ? [] : null;
        long given = 0;
        Finished = false;
        foreach (string path in _shards)
        {
            shard.Clear();
            _ = _store.Read(path, _allCurrent ? shard.Values.Columns : shard.All, shard.Schema);
            for (int row = 0; row < shard.Values.Count; row++)
            {
                if (_allCurrent || (IsCurrent(chain, shard, row) && (seen is null || seen.Add(shard.PointIds[row]))))
                {
                    given++;
                    yield return values.Get(row);
                }
            }
        }

        Given = given;
        Finished = true;
    }

    /// <summary>The error of a stream that did not give what the run expected.</summary>
    public StoreException Changed() =>
        new($"{_store.ProductDirectory(_definition.Graph.Steps[_producer].Product)} changed while it was read ({_expected} current results expected); run again.");

    private bool IsCurrent(KeyChain chain, ProductBuffer rows, int row) =>
        _points.Contains(rows.PointIds[row]) && chain.IsCurrent(rows.PointIds[row], rows.ResultKeys[row], _producer);
}
