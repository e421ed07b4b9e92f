using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
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
        // A missing HDF5 library stops the run before the store is touched.
        Storage.Hdf5.Hdf5Library.EnsureLoadedFor(_graph, _options.Container);
        CampaignStore store = CampaignStore.Open(_options.Store, _graph.Name, create: true, _options.Container, _options.Warn);
        Storage.Hdf5.Hdf5Library.EnsureLoadedFor(_graph, store.Container);
        store.SkipCorrupt = _options.SkipCorrupt;
        store.Warn = _options.Warn;
        store.RemoveAbandonedTemporaries();
        store.SaveCode(_graph.Steps);

        var counts = _graph.Steps.Select(_ => new StepCounts()).ToArray();
        var report = new RunReport { Steps = _graph.Steps.Select((s, i) => (s.Name, counts[i])).ToArray() };
        using var history = new PointMasks();
        using PointMasks masks = StoredState.Load(store, _definition, _options.Workers, history);
        using (BatchWriter writer = BatchWriter.For(store, _definition, _options))
        {
            RunPerPoint(masks, store, writer, counts, report);
            writer.CommitAll();
            report.FilesWritten += writer.FilesCommitted;
        }

        if (_options.PerPointOnly)
        {
            report.Seconds = clock.Elapsed.TotalSeconds;
            return report;
        }

        // A bundle's run met only its own points; global steps cover all that [Points] yields now.
        if (_options.Bundle is not null)
        {
            CurrentPoints.Mark(_definition, masks);
        }

        // The table now tells every current point's current results: a global step whose key it
        // gives is stored is cached without reading the per-point products.
        var keys = new RunKeys(_graph, masks, _options.Workers);
        var global = new GlobalStepRunner<TPoint>(_definition, store, CurrentPoints.Of(masks), keys, _options.Warn);
        for (int step = _graph.PerPointCount; step < _graph.Steps.Count; step++)
        {
            report.FilesWritten += global.Run(step, counts[step]);
        }

        // Merge small shards, this run's and others', unless another process is compacting: the
        // store's file count then grows with results / RowsPerFile.
        if (Compaction.Run(store, _definition, CurrentPoints.Of(masks), keys.Global, KnownCurrent.Of(masks, history), _options.RowsPerFile, leaveUnreadable: true) is { } compacted)
        {
            report.FilesWritten += compacted.Written;
            report.FilesRemoved += compacted.Removed;
        }

        report.Seconds = clock.Elapsed.TotalSeconds;
        return report;
    }

    private void RunPerPoint(PointMasks masks, CampaignStore store, BatchWriter writer, StepCounts[] counts, RunReport report)
    {
        using var failed = new CancellationTokenSource();
        var errors = new ConcurrentQueue<Exception>();
        var planner = new Planner(_graph);
        Worker[] workers = Enumerable.Range(0, Math.Max(1, _options.Workers)).Select(_ => new Worker(this, masks, writer)).ToArray();
        writer.Start(e =>
        {
            errors.Enqueue(e);
            failed.Cancel();
        });
        long points;
        try
        {
            // Points whose results are all missing run at once; points that need stored results as
            // inputs wait until those are loaded, a group at a time, from the product shards.
            points = RunPhase<TPoint>(workers, Produce, (worker, chunk) => worker.RunFresh(chunk), failed, errors);
            DeferredPoint<TPoint>[] deferred = workers.SelectMany(w => w.Deferred).ToArray();
            for (int start = 0; start < deferred.Length; start += _options.DeferredGroup)
            {
                DeferredPoint<TPoint>[] group = deferred[start..Math.Min(deferred.Length, start + _options.DeferredGroup)];
                StoredInputs inputs = StoredInputs.Load(store, _definition, planner, group);
                foreach (Worker worker in workers)
                {
                    worker.Run.Inputs = inputs;
                }

                RunPhase<DeferredPoint<TPoint>>(workers, (chunks, token) => Produce(chunks, group, token), (worker, chunk) => worker.RunDeferred(chunk), failed, errors);
            }
        }
        finally
        {
            writer.Finish();
        }

        ThrowFirst(errors);
        foreach (Worker worker in workers)
        {
            for (int i = 0; i < worker.Run.Counts.Length; i++)
            {
                counts[i].Add(worker.Run.Counts[i]);
            }
        }

        long duplicates = workers.Sum(w => w.Duplicates);
        report.Points = points - duplicates;
        report.DuplicatePoints = duplicates;
        report.NewPoints = workers.Sum(w => w.NewPoints);
    }

    /// <summary>
    /// Runs <paramref name="handle"/> over the chunks <paramref name="produce"/> makes, one thread per
    /// worker; returns what <paramref name="produce"/> returns.
    /// </summary>
    private long RunPhase<TItem>(
        Worker[] workers,
        Func<BlockingCollection<TItem[]>, CancellationToken, long> produce,
        Action<Worker, TItem[]> handle,
        CancellationTokenSource failed,
        ConcurrentQueue<Exception> errors)
    {
        using var chunks = new BlockingCollection<TItem[]>(boundedCapacity: workers.Length * 4);
        Thread[] threads = workers.Select((worker, index) => new Thread(() =>
        {
            try
            {
                foreach (TItem[] chunk in chunks.GetConsumingEnumerable(failed.Token))
                {
                    long started = Stopwatch.GetTimestamp();
                    handle(worker, chunk);
                    AdaptChunkSize(chunk.Length, Stopwatch.GetElapsedTime(started));
                    worker.FlushIfDue(failed.Token);
                }

                failed.Token.ThrowIfCancellationRequested();
                worker.Flush(failed.Token);
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
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        long produced = 0;
        try
        {
            produced = produce(chunks, failed.Token);
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
        }

        ThrowFirst(errors);
        return produced;
    }

    private static void ThrowFirst(ConcurrentQueue<Exception> errors)
    {
        if (errors.TryPeek(out Exception? first))
        {
            throw first is CairnException ? first : new InvalidOperationException($"the run stopped: {first.Message}", first);
        }
    }

    private long Produce(BlockingCollection<DeferredPoint<TPoint>[]> chunks, DeferredPoint<TPoint>[] points, CancellationToken token)
    {
        for (int start = 0; start < points.Length;)
        {
            int end = Math.Min(points.Length, start + Volatile.Read(ref _chunkSize));
            chunks.Add(points[start..end], token);
            start = end;
        }

        return points.Length;
    }

    private long Produce(BlockingCollection<TPoint[]> chunks, CancellationToken token)
    {
        long count = 0;
        var chunk = new List<TPoint>(_options.MaxChunkSize);
        using IEnumerator<TPoint> points = PointSource.Start(_definition);
        if (_options.Bundle is { } bundle)
        {
            return ProduceBundle(points, bundle, chunk, chunks, token);
        }

        while (PointSource.Next(points))
        {
            Hand(chunk, points.Current, chunks, token);
            count++;
        }

        HandRest(chunk, chunks, token);
        return count;
    }

    /// <summary>Adds a point to the chunk being filled, and hands the chunk on once it holds the current chunk size.</summary>
    private void Hand(List<TPoint> chunk, TPoint point, BlockingCollection<TPoint[]> chunks, CancellationToken token)
    {
        chunk.Add(point);
        if (chunk.Count >= Volatile.Read(ref _chunkSize))
        {
            chunks.Add(chunk.ToArray(), token);
            chunk.Clear();
        }
    }

    private static void HandRest(List<TPoint> chunk, BlockingCollection<TPoint[]> chunks, CancellationToken token)
    {
        if (chunk.Count > 0)
        {
            chunks.Add(chunk.ToArray(), token);
        }
    }

    /// <summary>
    /// Hands on the points of the bundle only, checking that each is the point that was planned:
    /// a [Points] method that changed since gives other points at the same places.
    /// </summary>
    private long ProduceBundle(IEnumerator<TPoint> points, IReadOnlyList<BundlePoint> bundle, List<TPoint> chunk, BlockingCollection<TPoint[]> chunks, CancellationToken token)
    {
        var canonical = new CanonicalWriter();
        long index = -1;
        foreach (BundlePoint wanted in bundle)
        {
            while (index < wanted.Index)
            {
                if (!PointSource.Next(points))
                {
                    throw BundleChanged(wanted.Index, $"it gives only {index + 1} points");
                }

                index++;
            }

            canonical.Reset();
            _definition.WriteCanonical(points.Current, canonical);
            if (canonical.ToPointId() != wanted.Id)
            {
                throw BundleChanged(wanted.Index, $"point {wanted.Index} is {canonical.ToPointId()}, not {wanted.Id}");
            }

            Hand(chunk, points.Current, chunks, token);
        }

        HandRest(chunk, chunks, token);
        return bundle.Count;
    }

    private static CairnException BundleChanged(long index, string detail) =>
        new($"the [Points] method no longer gives the points this task was planned with ({detail}); it must give the same points in the same order on every call. Submit again to plan with the current points.", ExitCodes.Error);

    /// <summary>Sizes the next chunks so that each holds about <see cref="RunOptions.ChunkDuration"/> of work.</summary>
    private void AdaptChunkSize(int points, TimeSpan elapsed)
    {
        double perPoint = Math.Max(elapsed.TotalSeconds / points, 1e-9);
        int size = (int)Math.Clamp(_options.ChunkDuration.TotalSeconds / perPoint, 1, _options.MaxChunkSize);
        Volatile.Write(ref _chunkSize, size);
    }

    private long NextFlush() => Stopwatch.GetTimestamp() + (long)(_options.FlushInterval.TotalSeconds * Stopwatch.Frequency);

    /// <summary>One worker thread's state, kept across the phases of a run.</summary>
    private sealed class Worker(LocalExecutor<TPoint> executor, PointMasks masks, BatchWriter writer)
    {
        private readonly Planner _planner = new(executor._graph);
        private readonly KeyChain _chain = new(executor._graph);
        private readonly CanonicalWriter _canonical = new();
        private PointId[] _ids = [];
        private long _flushAt = executor.NextFlush();

        public PointRun Run { get; } = new(executor._graph, writer.Rent());

        public List<DeferredPoint<TPoint>> Deferred { get; } = [];

        public long Duplicates { get; private set; }

        public long NewPoints { get; private set; }

        /// <summary>Points as the [Points] method gives them: new ones are stored, duplicates dropped.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunFresh(TPoint[] chunk)
        {
            ResultBatch batch = Run.Batch;
            var pointValues = (RecordColumns<TPoint>)batch.Points.Values;
            if (_ids.Length < chunk.Length)
            {
                _ids = new PointId[chunk.Length];
            }

            // The ids first, so that each lookup can be announced a few points ahead.
            for (int i = 0; i < chunk.Length; i++)
            {
                _canonical.Reset();
                executor._definition.WriteCanonical(chunk[i], _canonical);
                _ids[i] = _canonical.ToPointId();
            }

            for (int i = 0; i < chunk.Length; i++)
            {
                if (i + PointMasks.PrefetchDistance < chunk.Length)
                {
                    masks.Prefetch(_ids[i + PointMasks.PrefetchDistance]);
                }

                TPoint point = chunk[i];
                PointId pointId = _ids[i];
                ulong mask = masks.Or(pointId, StoredState.SeenBit);
                if ((mask & StoredState.SeenBit) != 0)
                {
                    Duplicates++;
                    continue;
                }

                if ((mask & StoredState.PointBit) == 0)
                {
                    batch.Points.PointIds.Append(pointId.ToGuid());
                    pointValues.Append(point);
                    NewPoints++;
                }

                PointPlan plan = _planner.Plan(mask);
                if (plan.Load != 0)
                {
                    Deferred.Add(new DeferredPoint<TPoint>(point, pointId, mask));
                    continue;
                }

                RunPoint(point, pointId, plan);
            }
        }

        /// <summary>Points whose stored inputs <see cref="PointRun.Inputs"/> holds.</summary>
        public void RunDeferred(DeferredPoint<TPoint>[] chunk)
        {
            foreach (DeferredPoint<TPoint> deferred in chunk)
            {
                RunPoint(deferred.Point, deferred.Id, _planner.Plan(deferred.Stored));
            }
        }

        private void RunPoint(TPoint point, PointId pointId, PointPlan plan)
        {
            Run.Start(pointId.ToGuid(), plan);
            if (plan.Run != 0)
            {
                _chain.Compute(pointId, Run.Keys, executor._graph.PerPointCount);
                executor._definition.RunPoint(point, Run);
                if (Run.Computed != 0)
                {
                    masks.Or(pointId, Run.Computed);
                }
            }

            Run.Batch.PointsHandled++;
        }

        public void FlushIfDue(CancellationToken token)
        {
            if (Run.Batch.PointsHandled >= executor._options.FlushPoints || Stopwatch.GetTimestamp() >= _flushAt)
            {
                Flush(token);
            }
        }

        /// <summary>Hands the batch to the writer and takes an empty one.</summary>
        public void Flush(CancellationToken token)
        {
            writer.Enqueue(Run.Batch, token);
            Run.Batch = writer.Rent();
            _flushAt = executor.NextFlush();
        }
    }
}
