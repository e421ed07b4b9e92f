using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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
internal sealed class BatchWriter : IDisposable
{
    private readonly BlockingCollection<ResultBatch> _queue;
    private readonly ConcurrentBag<ResultBatch> _pool = [];
    private readonly Func<ResultBatch> _create;
    private readonly ShardSink _points;
    private readonly ShardSink[] _products;
    private readonly ShardSink _failures;
    private readonly ShardSink _provenance;
    private Thread? _thread;

    private BatchWriter(CampaignStore store, CampaignGraph graph, RunOptions options, Func<ResultBatch> create)
    {
        _create = create;
        _queue = new BlockingCollection<ResultBatch>(Math.Max(2, options.Workers * 2));
        _points = store.CreateSink(store.PointsFormat, store.PointsDirectory, "points", options.RowsPerShard, options.CommitInterval);
        _products = new ShardSink[graph.PerPointCount];
        for (int i = 0; i < _products.Length; i++)
        {
            _products[i] = store.CreateSink(graph.Steps[i], options.RowsPerShard, options.CommitInterval);
        }

        _failures = store.CreateSink(CampaignStore.TableFormat, store.FailuresDirectory, "failures", options.RowsPerShard, options.CommitInterval);
        // A provenance row per step run, ~35 bytes: four times a product shard's rows per step keeps
        // a provenance shard at tens of MB and the file count growing with points, not with steps.
        _provenance = store.CreateSink(CampaignStore.TableFormat, store.ProvenanceDirectory, "provenance", 4 * options.RowsPerShard * Math.Max(1, graph.PerPointCount), options.CommitInterval);
    }

    /// <summary>A writer for the runs of <paramref name="definition"/>.</summary>
    public static BatchWriter For<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, RunOptions options) =>
        new(store, definition.Graph, options, () => new ResultBatch(definition.CreatePointColumns, definition.CreateColumns, definition.Graph));

    /// <summary>Shards committed so far.</summary>
    public int FilesCommitted => Sinks.Sum(sink => sink.FilesCommitted);

    /// <summary>An empty batch for a worker.</summary>
    public ResultBatch Rent() => _pool.TryTake(out ResultBatch? batch) ? batch : _create();

    public void Start(Action<Exception> onError)
    {
        _thread = new Thread(() =>
        {
            try
            {
                foreach (ResultBatch batch in _queue.GetConsumingEnumerable())
                {
                    Write(batch);
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

    /// <summary>Commits every open shard (the run merges the small ones at its end, see <see cref="Compaction"/>).</summary>
    public void CommitAll()
    {
        foreach (ShardSink sink in Sinks)
        {
            sink.Commit();
        }
    }

    private IEnumerable<ShardSink> Sinks => [_points, .. _products, _failures, _provenance];

    public void Dispose()
    {
        foreach (ShardSink sink in Sinks)
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
