using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// The single writer thread of a run: takes full <see cref="ResultBatch"/>es from the workers,
/// appends each buffer to its product's <see cref="ShardSink"/>, and recycles the batch.
/// The bounded queue makes workers wait when the disk is slower than the steps.
/// </summary>
/// <remarks>
/// The sinks are committed together, never one alone: when one holds its number of rows, or the
/// oldest open shard has been open for the commit interval (checked on a clock, whether rows arrive
/// or not), every open shard is committed, provenance first and the products last. A crash between
/// two of these commits leaves provenance without its result (computed again by the next run), never
/// a result without its provenance.
/// </remarks>
internal sealed class BatchWriter : IDisposable
{
    /// <summary>The longest the writer waits for a batch before it looks at the clock again.</summary>
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(250);

    private readonly BlockingCollection<ResultBatch> _queue;
    private readonly ConcurrentBag<ResultBatch> _pool = [];
    private readonly Func<ResultBatch> _create;
    private readonly ShardSink _points;
    private readonly ShardSink[] _products;
    private readonly ShardSink _failures;
    private readonly ShardSink _provenance;
    private readonly long _rowsPerShard;
    private readonly long _provenanceRows;
    private readonly TimeSpan _commitInterval;

    /// <summary>The sinks in the order they commit: a result never before its provenance.</summary>
    private readonly ShardSink[] _sinks;
    private Thread? _thread;

    private BatchWriter(CampaignStore store, CampaignGraph graph, RunOptions options, Func<ResultBatch> create)
    {
        _create = create;
        _queue = new BlockingCollection<ResultBatch>(Math.Max(2, options.Workers * 2));
        _rowsPerShard = options.RowsPerShard;
        // A provenance row per step run, ~35 bytes: four times a product shard's rows per step keeps
        // a provenance shard at tens of MB when it alone fills up.
        _provenanceRows = 4 * options.RowsPerShard * Math.Max(1, graph.PerPointCount);
        _commitInterval = options.CommitInterval;
        _points = Sink(store.PointsFormat, store.PointsDirectory, "points");
        _products = new ShardSink[graph.PerPointCount];
        var chain = new KeyChain(graph);
        for (int i = 0; i < _products.Length; i++)
        {
            // The workers key every row with this graph's chain: the shards can say so.
            _products[i] = store.CreateSink(graph.Steps[i], long.MaxValue, TimeSpan.MaxValue, chain.Signature(i).ToString());
        }

        _failures = Sink(CampaignStore.TableFormat, store.FailuresDirectory, "failures");
        _provenance = Sink(CampaignStore.TableFormat, store.ProvenanceDirectory, "provenance");
        _sinks = [_provenance, _failures, _points, .. _products];

        // This writer decides when its sinks commit (all together), not each sink alone.
        ShardSink Sink(IShardFormat format, string directory, string content) => store.CreateSink(format, directory, content, long.MaxValue, TimeSpan.MaxValue);
    }

    /// <summary>A writer for the runs of <paramref name="definition"/>.</summary>
    public static BatchWriter For<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, RunOptions options) =>
        new(store, definition.Graph, options, () => new ResultBatch(definition.CreatePointColumns, definition.CreateColumns, definition.Graph));

    /// <summary>Shards committed so far.</summary>
    public int FilesCommitted => _sinks.Sum(sink => sink.FilesCommitted);

    /// <summary>An empty batch for a worker.</summary>
    public ResultBatch Rent() => _pool.TryTake(out ResultBatch? batch) ? batch : _create();

    public void Start(Action<Exception> onError)
    {
        _thread = new Thread(() =>
        {
            try
            {
                while (!_queue.IsCompleted)
                {
                    if (_queue.TryTake(out ResultBatch? batch, s_tick))
                    {
                        Write(batch);
                    }

                    if (CommitDue())
                    {
                        CommitAll();
                    }
                }
            }
            catch (Exception e)
            {
                onError(e);
                foreach (ResultBatch ignored in _queue.GetConsumingEnumerable())
                {
                    // Drain so that no worker waits forever on a full queue.
                }
            }
        })
        { Name = "cairn-writer", IsBackground = true };
        _thread.Start();
    }

    public void Enqueue(ResultBatch batch, CancellationToken token) => _queue.Add(batch, token);

    /// <summary>Waits until every queued batch is written.</summary>
    public void Finish()
    {
        _queue.CompleteAdding();
        _thread?.Join();
    }

    /// <summary>
    /// Commits every open shard, provenance first, then failures, points and the products (the run
    /// merges the small shards at its end, see <see cref="Compaction"/>).
    /// </summary>
    public void CommitAll()
    {
        foreach (ShardSink sink in _sinks)
        {
            sink.Commit();
        }
    }

    /// <summary>Whether a sink holds its number of rows, or the oldest open shard has been open for the commit interval.</summary>
    private bool CommitDue()
    {
        DateTime? oldest = null;
        foreach (ShardSink sink in _sinks)
        {
            if (sink.Rows >= (sink == _provenance ? _provenanceRows : _rowsPerShard))
            {
                return true;
            }

            if (sink.OpenedAt is { } opened && (oldest is null || opened < oldest))
            {
                oldest = opened;
            }
        }

        return oldest is { } time && DateTime.UtcNow - time >= _commitInterval;
    }

    public void Dispose()
    {
        foreach (ShardSink sink in _sinks)
        {
            sink.Dispose();
        }

        _queue.Dispose();
    }

    private void Write(ResultBatch batch)
    {
        _points.Append(batch.Points.All);
        for (int i = 0; i < _products.Length; i++)
        {
            _products[i].Append(batch.Products[i].All);
        }

        _failures.Append(batch.Failures.All);
        batch.Provenance.CompletePeakWorkingSet();
        _provenance.Append(batch.Provenance.All);
        batch.Clear();
        _pool.Add(batch);
    }
}
