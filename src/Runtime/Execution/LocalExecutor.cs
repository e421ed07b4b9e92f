using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Cairn.Columns;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// Runs a campaign in this process: one thread enumerates points in chunks, worker threads run all
/// per-point steps of a point back to back (fused), and one writer thread appends their buffers to
/// the product shards. Global steps run afterwards, over what the store then holds.
/// </summary>
internal sealed class LocalExecutor<TPoint>
{
    private readonly CampaignDefinition<TPoint> _definition;
    private readonly CampaignGraph _graph;
    private readonly RunOptions _options;
    private int _chunkSize = 1;

    public LocalExecutor(CampaignDefinition<TPoint> definition, RunOptions options)
    {
        _definition = definition;
        _graph = definition.Graph;
        _options = options;
    }

    public RunReport Run()
    {
        var clock = Stopwatch.StartNew();
        CampaignStore store = CampaignStore.Open(_options.Store, _graph.Name, GraphSignature.Of(_definition), create: true);
        store.RemoveAbandonedTemporaries();

        var counts = _graph.Steps.Select(_ => new StepCounts()).ToArray();
        var report = new RunReport { Steps = _graph.Steps.Select((s, i) => (s.Name, counts[i])).ToArray() };
        using (BatchWriter writer = BatchWriter.For(store, _definition, _options))
        {
            // The table of stored results lives for the per-point phase only: the global steps read the store.
            RunPerPoint(StoredState.Load(store, _definition), writer, counts, report);
            writer.CommitAll();
            report.Files += writer.FilesCommitted;
        }

        var global = new GlobalStepRunner<TPoint>(_definition, store);
        for (int step = _graph.PerPointCount; step < _graph.Steps.Count; step++)
        {
            report.Files += global.Run(step, counts[step]);
        }

        report.Seconds = clock.Elapsed.TotalSeconds;
        return report;
    }

    private void RunPerPoint(PointMasks masks, BatchWriter writer, StepCounts[] counts, RunReport report)
    {
        int workers = Math.Max(1, _options.Workers);
        using var failed = new CancellationTokenSource();
        using var chunks = new BlockingCollection<TPoint[]>(boundedCapacity: workers * 4);
        var errors = new ConcurrentQueue<Exception>();
        var workerCounts = new List<StepCounts[]>();
        long duplicates = 0;
        long newPoints = 0;

        var threads = Enumerable.Range(0, workers).Select(index => new Thread(() =>
        {
            try
            {
                var run = new PointRun(_graph, writer.Rent());
                lock (workerCounts)
                {
                    workerCounts.Add(run.Counts);
                }

                (long dup, long fresh) = Work(chunks, run, masks, writer, failed.Token);
                Interlocked.Add(ref duplicates, dup);
                Interlocked.Add(ref newPoints, fresh);
            }
            catch (OperationCanceledException) when (failed.IsCancellationRequested)
            {
                // Another thread failed first; its error is reported.
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
                failed.Cancel();
            }
        })
        { Name = $"cairn-worker-{index}", IsBackground = true }).ToArray();

        writer.Start(e =>
        {
            errors.Enqueue(e);
            failed.Cancel();
        });
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        long points = 0;
        try
        {
            points = Produce(chunks, failed.Token);
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested)
        {
            // A worker or the writer failed; its error is reported below.
        }
        finally
        {
            chunks.CompleteAdding();
            foreach (Thread thread in threads)
            {
                thread.Join();
            }

            writer.Finish();
        }

        if (!errors.IsEmpty)
        {
            Exception first = errors.First();
            throw first is CairnException ? first : new InvalidOperationException($"the run stopped: {first.Message}", first);
        }

        foreach (StepCounts[] perWorker in workerCounts)
        {
            for (int i = 0; i < perWorker.Length; i++)
            {
                counts[i].Add(perWorker[i]);
            }
        }

        report.Points = points - duplicates;
        report.DuplicatePoints = duplicates;
        report.NewPoints = newPoints;
    }

    private long Produce(BlockingCollection<TPoint[]> chunks, CancellationToken token)
    {
        long count = 0;
        var chunk = new List<TPoint>(_options.MaxChunkSize);
        IEnumerator<TPoint> points;
        try
        {
            points = _definition.Points().GetEnumerator();
        }
        catch (Exception e)
        {
            throw PointsFailed(e);
        }

        using (points)
        {
            while (true)
            {
                try
                {
                    if (!points.MoveNext())
                    {
                        break;
                    }
                }
                catch (Exception e)
                {
                    throw PointsFailed(e);
                }

                chunk.Add(points.Current);
                count++;
                if (chunk.Count >= Volatile.Read(ref _chunkSize))
                {
                    chunks.Add(chunk.ToArray(), token);
                    chunk.Clear();
                }
            }
        }

        if (chunk.Count > 0)
        {
            chunks.Add(chunk.ToArray(), token);
        }

        return count;
    }

    /// <summary>Sizes the next chunks so that each holds about <see cref="RunOptions.ChunkDuration"/> of work.</summary>
    private void AdaptChunkSize(int points, TimeSpan elapsed)
    {
        double perPoint = Math.Max(elapsed.TotalSeconds / points, 1e-9);
        int size = (int)Math.Clamp(_options.ChunkDuration.TotalSeconds / perPoint, 1, _options.MaxChunkSize);
        Volatile.Write(ref _chunkSize, size);
    }

    private static CairnException PointsFailed(Exception e) =>
        new($"the [Points] method threw {e.GetType().Name}: {e.Message}; fix it and run again (nothing was lost).", ExitCodes.Error, e);

    private (long Duplicates, long NewPoints) Work(
        BlockingCollection<TPoint[]> chunks,
        PointRun run,
        PointMasks masks,
        BatchWriter writer,
        CancellationToken token)
    {
        var planner = new Planner(_graph);
        var chain = new KeyChain(_graph);
        var canonical = new CanonicalWriter();
        long duplicates = 0;
        long newPoints = 0;
        long flushAt = Stopwatch.GetTimestamp() + (long)(_options.FlushInterval.TotalSeconds * Stopwatch.Frequency);
        foreach (TPoint[] chunk in chunks.GetConsumingEnumerable(token))
        {
            long started = Stopwatch.GetTimestamp();
            ResultBatch batch = run.Batch;
            var pointValues = (RecordColumns<TPoint>)batch.Points.Values;
            foreach (TPoint point in chunk)
            {
                canonical.Reset();
                _definition.WriteCanonical(point, canonical);
                PointId pointId = canonical.ToPointId();
                ulong mask = masks.Or(pointId, StoredState.SeenBit);
                if ((mask & StoredState.SeenBit) != 0)
                {
                    duplicates++;
                    continue;
                }

                Guid id = pointId.ToGuid();
                if ((mask & StoredState.PointBit) == 0)
                {
                    batch.Points.PointIds.Append(id);
                    pointValues.Append(point);
                    newPoints++;
                }

                ulong mustRun = planner.MustRun(mask & planner.AllSteps);
                run.Start(id, mustRun, mask);
                if (mustRun != 0)
                {
                    chain.Compute(pointId, run.Keys, _graph.PerPointCount);
                    _definition.RunPoint(point, run);
                }

                batch.PointsHandled++;
            }

            AdaptChunkSize(chunk.Length, Stopwatch.GetElapsedTime(started));

            if (batch.PointsHandled >= _options.FlushPoints || Stopwatch.GetTimestamp() >= flushAt)
            {
                writer.Enqueue(batch, token);
                run.Batch = writer.Rent();
                flushAt = Stopwatch.GetTimestamp() + (long)(_options.FlushInterval.TotalSeconds * Stopwatch.Frequency);
            }
        }

        token.ThrowIfCancellationRequested();
        writer.Enqueue(run.Batch, token);
        return (duplicates, newPoints);
    }
}
