using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
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
    private CrashJournal? _journal;
    private HashSet<PointId> _suspects = [];

    public LocalExecutor(CampaignDefinition<TPoint> definition, RunOptions options)
    {
        _definition = definition;
        _graph = definition.Graph;
        _options = options;
    }

    /// <summary>
    /// A Slurm task's run on a plan that still holds: the plan says what is stored, and there are
    /// only per-point steps to run. Set in <see cref="Run()"/>.
    /// </summary>
    private bool Planned { get; set; }

    /// <summary>
    /// The product shards aligned with each points shard, when the run read the store's state
    /// (not a planned task's): points that wait for stored inputs then run a points shard at a time
    /// (<see cref="RunWaiting"/>). Set in <see cref="Run(CampaignStore, StepCounts[], RunReport)"/>.
    /// </summary>
    private ShardAlignment? Alignment { get; set; }

    /// <summary>
    /// The run's cores, when a per-point step needs more than one (<c>[Resources]</c>); null
    /// otherwise, and then points take no cores (one worker is one core).
    /// </summary>
    private CoreBudget? Budget { get; set; }

    /// <summary>The cores a point holds while its steps run: the most that one of the steps it runs needs.</summary>
    private int CoresFor(StepSet run)
    {
        int cores = 1;
        for (int step = 0; step < _graph.PerPointCount; step++)
        {
            cores = run.Contains(step) ? Math.Max(cores, _graph.Steps[step].Resources.AllCores) : cores;
        }

        return cores;
    }

    /// <summary>A budget of the run's cores when a per-point step needs more than one, with a warning for a step that needs more than the run has.</summary>
    private CoreBudget? BudgetOfCores()
    {
        if (_graph.PerPointCores == 1)
        {
            return null;
        }

        var budget = new CoreBudget(_options.Workers);
        if (_graph.PerPointStepWiderThan(budget.Capacity) is { } wide)
        {
            _options.Warn($"warning: step '{wide.Name}' needs {wide.Resources.AllCores} cores ([Resources]) and this run has {budget.Capacity} (--workers): it runs alone, on all of them");
        }

        return budget;
    }

    public RunReport Run()
    {
        var clock = Stopwatch.StartNew();
        // A missing HDF5 library, or a program a step runs, stops the run before the store is touched.
        Storage.Hdf5.Hdf5Library.EnsureLoadedFor(_graph, _options.Container);
        ProgramIdentity.EnsureFound(_graph);
        CampaignStore store = CampaignStore.Open(_options.Store, _graph.Name, create: true, _options.Container, _options.Warn);
        Storage.Hdf5.Hdf5Library.EnsureLoadedFor(_graph, store.Container);
        store.SkipCorrupt = _options.SkipCorrupt;
        store.Warn = _options.Warn;
        store.ShardTag = _options.ShardTag;
        Planned = _options.Bundle is not null && _options.PerPointOnly && !CompactedSince(store, _options.PlannedAt);
        if (!Planned)
        {
            // A planned task leaves this to the runs that read the whole store anyway.
            store.RemoveAbandonedTemporaries();
        }

        if (_options.SkipCorrupt)
        {
            // Damage in a value column shows only when the values are read: read every shard whole first.
            foreach (DamagedShard damaged in StoreVerification.Run(store, _definition).Damaged)
            {
                _options.Warn($"warning: left out, and what it held is computed again (the file stays as it is): {damaged.Problem}");
                store.Exclude([damaged.Path]);
            }
        }

        store.SaveCode(_graph.Steps);
        Budget = BudgetOfCores();
        var counts = _graph.Steps.Select(_ => new StepCounts()).ToArray();
        var report = new RunReport { Steps = _graph.Steps.Select((s, i) => (s.Name, counts[i])).ToArray() };
        try
        {
            Run(store, counts, report);
        }
        catch (Exception e) when (DiskSpace.IsFull(e))
        {
            // Every shard is committed whole or not at all: the store is as the last commit left it.
            report.DiskFull = DiskSpace.Full(store.Root, e);
        }
        finally
        {
            _options.Progress?.End();
        }

        report.Seconds = clock.Elapsed.TotalSeconds;
        return report;
    }

    /// <summary>Whether a compaction started at or after <paramref name="plannedAt"/> (never, for a plan made by this process).</summary>
    private bool CompactedSince(CampaignStore store, DateTime? plannedAt)
    {
        string marker = Path.Combine(store.Root, StoreLayout.LastCompaction);
        if (plannedAt is not { } planned || !File.Exists(marker) || File.GetLastWriteTimeUtc(marker) < planned)
        {
            return false;
        }

        _options.Warn("the store was compacted since this task was planned: it reads the store's state instead of its plan.");
        return true;
    }

    private void Run(CampaignStore store, StepCounts[] counts, RunReport report)
    {
        using var history = new PointMasks();
        Alignment = !Planned ? new ShardAlignment() : null;
        // A planned task knows from its plan what is stored (ProduceBundle sets it), and from the
        // shards it wrote itself what an earlier attempt of it committed.
        using PointMasks masks = !Planned ? StoredState.Load(store, _definition, _options.Workers, history, Alignment)
            : _options.ShardTag is { } tag ? StoredState.LoadTagged(store, _definition, tag)
            : new PointMasks(_options.Bundle!.Count);
        using CrashJournal? journal = _journal = _options.Journal is { } path ? CrashJournal.Open(path, _options.Workers) : null;
        // A point an earlier run crashed on would crash this one too: it waits for 'run --isolate'.
        // A bundle (a Slurm task) holds the points it was given on purpose, 'retry' among them: it
        // leaves out only what its own supervisor recorded.
        _suspects = _options.Only is null && _options.Bundle is null
            ? OpenFailures.OfPoints(store, _graph, masks).Where(f => f.ErrorType == FailureCauses.Crashed).Select(f => PointId.FromGuid(f.Point)).ToHashSet()
            : [];
        _suspects.UnionWith(_options.LeaveOut);
        using (BatchWriter writer = BatchWriter.For(store, _definition, _options))
        {
            try
            {
                RunPerPoint(masks, store, writer, counts, report);
                writer.CommitAll();
            }
            finally
            {
                report.FilesWritten += writer.FilesCommitted;
            }
        }

        // A stopped run leaves the global steps and compaction to the next one: they may take long.
        if (_options.PerPointOnly || report.Stopped)
        {
            return;
        }

        // A bundle's run met only its own points; global steps cover all that [Points] yields now.
        if (_options.Bundle is not null)
        {
            CurrentPoints.Mark(_definition, masks);
        }

        // The table now tells every current point's current results: a global step whose key it
        // gives is stored is cached without reading the per-point products.
        masks.Freeze();
        var keys = new RunKeys(_graph, masks, _options.Workers);
        KnownCurrent known = KnownCurrent.Of(masks, history);
        var global = new GlobalStepRunner<TPoint>(_definition, store, CurrentPoints.Of(masks), keys, _options.Warn, _options.StepTimeout, _options.Workers, known);
        for (int step = _graph.PerPointCount; step < _graph.Steps.Count; step++)
        {
            _options.Progress?.Phase($"{_graph.Steps[step].Name}: over the results of all points...");
            report.FilesWritten += global.Run(step, counts[step]);
        }

        // An older store may hold results whose provenance a crash lost: told once, then marked.
        if (ProvenanceRecovery.Run(store, _definition) is > 0 and int recovered)
        {
            report.FilesWritten++;
            _options.Warn($"{recovered} stored result(s) had no provenance (a run ended before committing it): what can be told is recorded now, with the status 'recovered'.");
        }

        // Merge small shards, this run's and others', unless another process is compacting: the
        // store's file count then grows with results / RowsPerFile.
        _options.Progress?.Phase("compacting the store...");
        if (Compaction.Run(store, _definition, CurrentPoints.Of(masks), keys.Global, known, _options.RowsPerFile, leaveUnreadable: true) is { } compacted)
        {
            report.FilesWritten += compacted.Written;
            report.FilesRemoved += compacted.Removed;
        }

    }

    private void RunPerPoint(PointMasks masks, CampaignStore store, BatchWriter writer, StepCounts[] counts, RunReport report)
    {
        using var failed = new CancellationTokenSource();
        var errors = new ConcurrentQueue<Exception>();
        var planner = new Planner(_graph);
        // Every worker of the run, those given up on included: their counts and deferred points count.
        var workers = Enumerable.Range(0, Math.Max(1, _options.PointsAtOnce ?? _options.Workers)).Select(_ => new Worker(this, masks, writer)).ToList();
        writer.Start(e =>
        {
            errors.Enqueue(e);
            failed.Cancel();
        });
        StepCounts[][] Counters()
        {
            lock (workers)
            {
                return workers.Select(w => w.Run.Counts).ToArray();
            }
        }

        long Duplicates()
        {
            lock (workers)
            {
                return workers.Sum(w => w.Duplicates);
            }
        }

        long points;
        ProgressSampler? progress = ProgressSampler.Start(_options.Progress, _graph.Steps.Take(_graph.PerPointCount).Select(s => s.Name), Counters, CountPoints, Duplicates);
        try
        {
            // Points whose results are all missing run at once; points that need stored results as
            // inputs wait until those are loaded: a points shard at a time beside the product shards
            // aligned with it, and the rest a group at a time, looked up in the product shards.
            points = RunPhase<TPoint>(workers, (chunks, token) => Produce(chunks, masks, token), (worker, chunk) => worker.RunFresh(chunk), failed, errors);
            var rest = new List<DeferredPoint<TPoint>>();
            if (Alignment is { } alignment)
            {
                report.InputsAlongside = RunWaiting(store, alignment, masks, planner, workers, rest, failed, errors);
            }

            rest.AddRange(workers.SelectMany(w => w.Deferred));
            report.OnStoredInputs = report.InputsAlongside + rest.Count;
            var order = DeferredOrder<TPoint>.Arrange(store, _definition, planner, [.. rest], _options.DeferredGroup);
            DeferredPoint<TPoint>[] deferred = order.Points;
            for (int start = 0; start < deferred.Length && !_options.Stop.IsCancellationRequested; start += _options.DeferredGroup)
            {
                int end = Math.Min(deferred.Length, start + _options.DeferredGroup);
                DeferredPoint<TPoint>[] group = deferred[start..end];
                StoredInputs inputs = StoredInputs.Load(store, _definition, planner, group, _options.InputShards, order.Step >= 0 ? (order.Step, order.ShardsOf(start, end)) : null);
                foreach (Worker worker in workers)
                {
                    worker.Run.Inputs = inputs;
                }

                RunPhase<DeferredPoint<TPoint>>(workers, (chunks, token) => Produce(chunks, group, token), (worker, chunk) => worker.RunDeferred(chunk), failed, errors);
            }
        }
        finally
        {
            progress?.Dispose();
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
        report.LeftOut = workers.Sum(w => w.LeftOut);
        report.Stopped = _options.Stop.IsCancellationRequested;
        report.Points = (report.Stopped ? workers.Sum(w => w.Handled) : points) - duplicates;
        report.DuplicatePoints = duplicates;
        report.NewPoints = workers.Sum(w => w.NewPoints);
    }

    /// <summary>
    /// Runs the points that wait for stored inputs (<see cref="StoredState.WaitingBit"/>) a points
    /// shard at a time: its waiting rows, with their inputs from the product shards aligned with it,
    /// row beside row. Memory then holds one shard's points and inputs instead of every waiting
    /// point, and no point is looked up among all shards: after an edit to the second step, every
    /// point waits. Points whose inputs lie in no aligned shard go to <paramref name="rest"/>, as do
    /// waiting points that no points shard holds (found by going over [Points] once more).
    /// Returns how many points it ran.
    /// </summary>
    private long RunWaiting(CampaignStore store, ShardAlignment alignment, PointMasks masks, Planner planner, List<Worker> workers, List<DeferredPoint<TPoint>> rest, CancellationTokenSource failed, ConcurrentQueue<Exception> errors)
    {
        long waiting = workers.Sum(w => w.Waiting);
        long taken = 0;
        long ran = 0;
        var shardPoints = ProductBuffer.Points(_definition.CreatePointColumns());
        for (int shard = 0; shard < alignment.PointShards.Count && taken < waiting && !_options.Stop.IsCancellationRequested && !failed.IsCancellationRequested; shard++)
        {
            if (!File.Exists(alignment.PointShards[shard]))
            {
                // Another run's compaction merged it since: its points are found by going over [Points].
                continue;
            }

            shardPoints.Clear();
            _ = store.Read(alignment.PointShards[shard], shardPoints.All, shardPoints.Schema);
            var records = (RecordColumns<TPoint>)shardPoints.Values;
            StepSet beside = StepSet.Empty;
            for (int step = 0; step < _graph.PerPointCount; step++)
            {
                beside |= alignment.ProductShard(step, shard) is string product && File.Exists(product) ? StepSet.Only(step) : StepSet.Empty;
            }

            var group = new List<DeferredPoint<TPoint>>();
            var rows = new List<(int Row, Guid Id)>();
            StepSet load = StepSet.Empty;
            for (int row = 0; row < shardPoints.Count; row++)
            {
                Guid guid = shardPoints.PointIds[row];
                var id = PointId.FromGuid(guid);
                if (!StoredState.TakeWaiting(masks, id, out StepSet stored))
                {
                    continue;
                }

                taken++;
                var point = new DeferredPoint<TPoint>(records.Get(row), id, stored);
                StepSet needs = planner.Plan(point.Stored).Load;
                if ((needs & beside) == needs)
                {
                    group.Add(point);
                    rows.Add((row, guid));
                    load |= needs;
                }
                else
                {
                    rest.Add(point);
                }
            }

            if (group.Count == 0)
            {
                continue;
            }

            int index = shard;
            StoredInputs inputs = StoredInputs.Aligned(store, _definition, load, step => alignment.ProductShard(step, index)!, shardPoints.Count, rows);
            foreach (Worker worker in workers)
            {
                worker.Run.Inputs = inputs;
            }

            DeferredPoint<TPoint>[] ready = [.. group];
            RunPhase<DeferredPoint<TPoint>>(workers, (chunks, token) => Produce(chunks, ready, token), (worker, chunk) => worker.RunDeferred(chunk), failed, errors);
            ran += ready.Length;
        }

        if (taken < waiting && !_options.Stop.IsCancellationRequested && !failed.IsCancellationRequested)
        {
            // A point whose results are stored but whose row is in no points shard (a shard was lost).
            RunPhase<TPoint>(workers, (chunks, token) => Produce(chunks, masks, token), (worker, chunk) => worker.CollectWaiting(chunk), failed, errors);
        }

        return ran;
    }

    /// <summary>
    /// The points this run goes through, for its progress display: a task's bundle, the one point of
    /// <c>--only</c>, or what [Points] gives (enumerated once more, beside the run, duplicates
    /// included); null when the run's per-point steps end first.
    /// </summary>
    private long? CountPoints(CancellationToken ended)
    {
        if (_options.Bundle is { } bundle)
        {
            return bundle.Count;
        }

        if (_options.Only is { } only)
        {
            return only.Count;
        }

        long count = 0;
        using IEnumerator<TPoint> points = PointSource.Start(_definition);
        while (PointSource.Next(points))
        {
            if (++count % 4096 == 0 && ended.IsCancellationRequested)
            {
                return null;
            }
        }

        return count;
    }

    /// <summary>
    /// Runs <paramref name="handle"/> over the chunks <paramref name="produce"/> makes, one thread per
    /// worker that is not given up on, with a watchdog beside them (see <see cref="Watch"/>);
    /// returns what <paramref name="produce"/> returns (0 when the run is stopped).
    /// </summary>
    private long RunPhase<TItem>(
        List<Worker> workers,
        Func<BlockingCollection<TItem[]>, CancellationToken, long> produce,
        Action<Worker, TItem[]> handle,
        CancellationTokenSource failed,
        ConcurrentQueue<Exception> errors)
    {
        Worker[] crew = workers.Where(w => !w.Abandoned).ToArray();
        using var chunks = new BlockingCollection<TItem[]>(boundedCapacity: crew.Length * 4);
        using var producing = CancellationTokenSource.CreateLinkedTokenSource(failed.Token, _options.Stop);
        var threads = new List<(Thread Thread, Worker Worker)>();

        void Start(Worker worker, TItem[] first, bool consume = true)
        {
            var thread = new Thread(() => Work(worker, first, consume)) { Name = $"cairn-worker-{threads.Count}", IsBackground = true };
            threads.Add((thread, worker));
            thread.Start();
        }

        // consume: go on with the chunks of the queue after the first one (false for a helper).
        void Work(Worker worker, TItem[] first, bool consume)
        {
            try
            {
                // A worker that takes over from another first runs the rest of that one's chunk.
                if (first.Length > 0 && !Handle(worker, first))
                {
                    return;
                }

                foreach (TItem[] chunk in consume ? chunks.GetConsumingEnumerable(failed.Token) : [])
                {
                    if (_options.Stop.IsCancellationRequested || !Handle(worker, chunk))
                    {
                        break;
                    }
                }

                if (!worker.Abandoned)
                {
                    failed.Token.ThrowIfCancellationRequested();
                    worker.Flush(failed.Token);
                }
            }
            catch (OperationCanceledException) when (failed.IsCancellationRequested)
            {
                // Another thread failed first; its error is reported.
            }
            catch (Exception e) when (!worker.Abandoned)
            {
                errors.Enqueue(e);
                failed.Cancel();
            }
            catch (Exception)
            {
                // A step given up on threw after all: the run has moved on without it.
            }
        }

        // False when the worker was given up on while it ran the chunk: its thread must end.
        bool Handle(Worker worker, TItem[] chunk)
        {
            long started = Stopwatch.GetTimestamp();
            handle(worker, chunk);
            if (worker.Abandoned)
            {
                return false;
            }

            AdaptChunkSize(chunk.Length, Stopwatch.GetElapsedTime(started));
            worker.FlushIfDue(failed.Token);
            return true;
        }

        // The watchdog's hand-over of the rest of a worker's chunk to a new worker: in the place of
        // one given up on (it goes on with the queue), or as a helper of one inside a slow step.
        void HandOver(Worker from, bool givenUp)
        {
            var to = new Worker(this, from.Masks, from.Writer) { Run = { Inputs = from.Run.Inputs } };
            lock (workers)
            {
                // The progress sampler reads the list meanwhile.
                workers.Add(to);
            }

            Start(to, ((TItem[])from.Chunk!)[(from.Position + 1)..from.End], consume: givenUp);
            from.EndChunkHere();
        }

        lock (threads)
        {
            foreach (Worker worker in crew)
            {
                Start(worker, []);
            }
        }

        using var done = new ManualResetEventSlim();
        var watchdog = new Thread(() => Watch(threads, HandOver, done, failed)) { Name = "cairn-watchdog", IsBackground = true };
        watchdog.Start();
        long produced = 0;
        try
        {
            produced = produce(chunks, producing.Token);
        }
        catch (OperationCanceledException) when (producing.IsCancellationRequested)
        {
            // A worker or the writer failed (its error is reported below), or the run was stopped.
        }
        finally
        {
            chunks.CompleteAdding();
            JoinLive(threads);
            done.Set();
            watchdog.Join();
        }

        ThrowFirst(errors);
        return produced;
    }

    /// <summary>Waits until every thread whose worker is not given up on has ended (the watchdog may add one meanwhile).</summary>
    private static void JoinLive(List<(Thread Thread, Worker Worker)> threads)
    {
        while (true)
        {
            Thread? next;
            lock (threads)
            {
                next = threads.FirstOrDefault(t => !t.Worker.Abandoned && t.Thread.IsAlive).Thread;
            }

            if (next is null)
            {
                return;
            }

            next.Join(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>
    /// The watchdog of a phase: while a worker is inside a step's code, it hands the worker's finished
    /// results to the writer when they are due, and the rest of its chunk to a helper once the step
    /// has run for <see cref="RunOptions.HandOverAfter"/> (a slow or hung step must hold back no
    /// other point); gives up on a worker whose step ran past its time limit, recording the point as
    /// failed (<see cref="FailureCauses.Timeout"/>) and putting a new worker in its place; and,
    /// <see cref="RunOptions.StopGrace"/> after the run was stopped, leaves the steps still running
    /// (their points stay pending).
    /// </summary>
    private void Watch(List<(Thread Thread, Worker Worker)> threads, Action<Worker, bool> handOver, ManualResetEventSlim done, CancellationTokenSource failed)
    {
        TimeSpan?[] limits = _graph.Steps.Take(_graph.PerPointCount).Select(s => s.Timeout ?? _options.StepTimeout).ToArray();
        TimeSpan shortest = limits.Where(l => l is not null).Select(l => l!.Value).Append(_options.StopGrace).Append(_options.HandOverAfter).Min();
        TimeSpan period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(5).Ticks, shortest.Ticks / 4));
        long stopAt = long.MaxValue;
        try
        {
            while (!done.Wait(period))
            {
                long now = Stopwatch.GetTimestamp();
                if (_options.Stop.IsCancellationRequested && stopAt == long.MaxValue)
                {
                    stopAt = now + (long)(_options.StopGrace.TotalSeconds * Stopwatch.Frequency);
                }

                lock (threads)
                {
                    foreach (Worker worker in threads.Select(t => t.Worker).Where(w => !w.Abandoned).ToArray())
                    {
                        long inside = worker.Run.Gate.InsideTicks(now);
                        TimeSpan? limit = inside == 0 ? null : limits[worker.Run.Gate.Step];
                        if (inside == 0 || !worker.Run.Gate.TryHold())
                        {
                            continue;
                        }

                        if (limit is { } timeLimit && inside >= timeLimit.TotalSeconds * Stopwatch.Frequency)
                        {
                            worker.GiveUp(timeLimit, failed.Token);
                            if (!_options.Stop.IsCancellationRequested)
                            {
                                handOver(worker, true);
                            }
                        }
                        else if (now >= stopAt)
                        {
                            worker.Leave(failed.Token);
                        }
                        else
                        {
                            if (inside >= _options.HandOverAfter.TotalSeconds * Stopwatch.Frequency && worker.HasRest && !_options.Stop.IsCancellationRequested && _options.PointsAtOnce is null)
                            {
                                handOver(worker, false);
                            }

                            worker.FlushIfDue(failed.Token);
                            worker.Run.Gate.Release();
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested)
        {
            // The writer failed; its error is reported.
        }
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

    private long Produce(BlockingCollection<TPoint[]> chunks, PointMasks masks, CancellationToken token)
    {
        long count = 0;
        var chunk = new List<TPoint>(_options.MaxChunkSize);
        if (_options.Bundle is { } bundle)
        {
            return ProduceBundle(bundle, masks, chunk, chunks, token);
        }

        using IEnumerator<TPoint> points = PointSource.Start(_definition);
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
    /// Hands on the points of the bundle only, each checked against the point that was planned (a
    /// [Points] method that changed since gives other points at the same places); in a planned task,
    /// first marks what the plan says is stored of it.
    /// </summary>
    private long ProduceBundle(IReadOnlyList<PlannedPoint> bundle, PointMasks masks, List<TPoint> chunk, BlockingCollection<TPoint[]> chunks, CancellationToken token)
    {
        foreach ((TPoint point, PointId id, PlannedPoint planned) in PlannedPoints.Walk(_definition, bundle))
        {
            if (Planned)
            {
                masks.Or(id, planned.Stored);
            }

            Hand(chunk, point, chunks, token);
        }

        HandRest(chunk, chunks, token);
        return bundle.Count;
    }

    /// <summary>Sizes the next chunks so that each holds about <see cref="RunOptions.ChunkDuration"/> of work.</summary>
    private void AdaptChunkSize(int points, TimeSpan elapsed)
    {
        double perPoint = Math.Max(elapsed.TotalSeconds / points, 1e-9);
        int size = (int)Math.Clamp(_options.ChunkDuration.TotalSeconds / perPoint, 1, _options.MaxChunkSize);
        Volatile.Write(ref _chunkSize, size);
    }

    private long NextFlush() => Stopwatch.GetTimestamp() + (long)(_options.FlushInterval.TotalSeconds * Stopwatch.Frequency);

    /// <summary>
    /// One worker thread's state, kept across the phases of a run. While the worker is inside a
    /// step's code, the watchdog may hold it (<see cref="StepGate"/>) and flush it, give up on it
    /// (<see cref="GiveUp"/>) or leave it (<see cref="Leave"/>).
    /// </summary>
    private sealed class Worker(LocalExecutor<TPoint> executor, PointMasks masks, BatchWriter writer)
    {
        private readonly PointTriage _triage = new(executor._graph, masks);
        private readonly KeyChain _chain = new(executor._graph);
        private readonly CanonicalWriter _canonical = new();
        private PointId[] _ids = [];
        private string?[] _invalid = [];
        private long _flushAt = executor.NextFlush();
        private PointId _point;
        private int _end;

        /// <summary>The cores of the run's budget its point holds; given back when the point ends, or when the worker is given up on.</summary>
        private int _cores;

        public PointRun Run { get; } = new(executor._graph, writer.Rent()) { Journal = executor._journal?.Take() };

        public PointMasks Masks => masks;

        public BatchWriter Writer => writer;

        public List<DeferredPoint<TPoint>> Deferred { get; } = [];

        /// <summary>The points it marked waiting for stored inputs (<see cref="StoredState.WaitingBit"/>) instead of keeping them in <see cref="Deferred"/>.</summary>
        public long Waiting { get; private set; }

        public long Duplicates { get; private set; }

        public long NewPoints { get; private set; }

        /// <summary>Points left out: an earlier run crashed on them.</summary>
        public long LeftOut { get; private set; }

        /// <summary>Points taken from chunks, duplicates included.</summary>
        public long Handled { get; private set; }

        /// <summary>The chunk being run, and the place in it of the point being run.</summary>
        public Array? Chunk { get; private set; }

        public int Position { get; private set; }

        /// <summary>Where the worker's part of its chunk ends: the watchdog may hand the rest to another worker.</summary>
        public int End => Volatile.Read(ref _end);

        /// <summary>Whether points of the chunk come after the one being run.</summary>
        public bool HasRest => Position + 1 < End;

        /// <summary>The watchdog, holding the worker inside a step, has handed the rest of its chunk on: it ends with this point.</summary>
        public void EndChunkHere() => Volatile.Write(ref _end, Position + 1);

        /// <summary>Given up on: its thread, should its step ever return, ends without touching anything.</summary>
        public bool Abandoned => Run.Gate.IsAbandoned;

        /// <summary>Points as the [Points] method gives them: new ones are stored, duplicates dropped.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunFresh(TPoint[] chunk)
        {
            Chunk = chunk;
            _end = chunk.Length;
            if (_ids.Length < chunk.Length)
            {
                _ids = new PointId[chunk.Length];
                _invalid = new string?[chunk.Length];
            }

            // The ids first, so that each lookup can be announced a few points ahead.
            for (int i = 0; i < chunk.Length; i++)
            {
                _canonical.Reset();
                executor._definition.WriteCanonical(chunk[i], _canonical);
                _ids[i] = _canonical.ToPointId();
                _invalid[i] = _canonical.InvalidText;
            }

            CancellationToken stop = executor._options.Stop;
            for (int i = 0; i < End && !stop.IsCancellationRequested; i++)
            {
                if (i + PointMasks.PrefetchDistance < chunk.Length)
                {
                    masks.Prefetch(_ids[i + PointMasks.PrefetchDistance]);
                }

                Position = i;
                TPoint point = chunk[i];
                PointId pointId = _ids[i];
                if (executor._options.Only is { } only && !only.Contains(pointId))
                {
                    continue;
                }

                Handled++;
                MetPoint met = _triage.Meet(pointId);
                if (met.Duplicate)
                {
                    Duplicates++;
                    continue;
                }

                if (executor._suspects.Count > 0 && executor._suspects.Contains(pointId))
                {
                    LeftOut++;
                    continue;
                }

                if (_invalid[i] is string invalid)
                {
                    // Storing the point would change it: none of its steps runs, and it is not stored.
                    Run.Refuse(pointId.ToGuid(), FailureCauses.InvalidText, invalid);
                    Run.Batch.PointsHandled++;
                    continue;
                }

                if (met.IsNew)
                {
                    // The batch of this point, not of the chunk: the watchdog may have handed that on.
                    ProductBuffer points = Run.Batch.Points;
                    points.PointIds.Append(pointId.ToGuid());
                    ((RecordColumns<TPoint>)points.Values).Append(point);
                    NewPoints++;
                }

                if (met.LoadsStoredInputs)
                {
                    if (executor.Alignment is not null)
                    {
                        masks.Or(pointId, StoredState.WaitingBit);
                        Waiting++;
                    }
                    else
                    {
                        Deferred.Add(new DeferredPoint<TPoint>(point, pointId, met.Stored));
                    }

                    continue;
                }

                if (!RunPoint(point, pointId, met.Plan))
                {
                    return;
                }
            }
        }

        /// <summary>Keeps in <see cref="Deferred"/> the points of the chunk that wait for stored inputs and that no worker took yet.</summary>
        public void CollectWaiting(TPoint[] chunk)
        {
            Chunk = chunk;
            _end = chunk.Length;
            for (int i = 0; i < End; i++)
            {
                Position = i;
                _canonical.Reset();
                executor._definition.WriteCanonical(chunk[i], _canonical);
                PointId id = _canonical.ToPointId();
                if (StoredState.TakeWaiting(masks, id, out StepSet stored))
                {
                    Deferred.Add(new DeferredPoint<TPoint>(chunk[i], id, stored));
                }
            }
        }

        /// <summary>Points whose stored inputs <see cref="PointRun.Inputs"/> holds.</summary>
        public void RunDeferred(DeferredPoint<TPoint>[] chunk)
        {
            Chunk = chunk;
            _end = chunk.Length;
            CancellationToken stop = executor._options.Stop;
            for (int i = 0; i < End && !stop.IsCancellationRequested; i++)
            {
                Position = i;
                Handled++;
                if (!RunPoint(chunk[i].Point, chunk[i].Id, _triage.Plan(chunk[i].Stored)))
                {
                    return;
                }
            }
        }

        /// <summary>Runs the point's steps; false when the worker was given up on meanwhile.</summary>
        private bool RunPoint(TPoint point, PointId pointId, PointPlan plan)
        {
            _point = pointId;
            Run.Start(pointId.ToGuid(), plan);
            if (!plan.Run.IsEmpty)
            {
                _chain.Compute(pointId, Run.Keys, executor._graph.PerPointCount);
                if (executor.Budget is { } budget)
                {
                    Volatile.Write(ref _cores, budget.Take(executor.CoresFor(plan.Run)));
                }

                executor._definition.RunPoint(point, Run);
                if (Abandoned)
                {
                    // Leave gave its cores back.
                    return false;
                }

                executor.Budget?.Give(Interlocked.Exchange(ref _cores, 0));

                if (!Run.Computed.IsEmpty)
                {
                    masks.Or(pointId, Run.Computed.Bits);
                }
            }

            Run.Batch.PointsHandled++;
            return true;
        }

        /// <summary>
        /// The watchdog, holding this worker inside a step past its time limit: records the point as
        /// failed (what its earlier steps made is kept), hands the batch to the writer and gives up on
        /// the worker.
        /// </summary>
        public void GiveUp(TimeSpan limit, CancellationToken token)
        {
            Run.TimeOut(Run.Gate.Step, limit);
            Run.Batch.PointsHandled++;
            Leave(token);
        }

        /// <summary>The watchdog, holding this worker inside a step, hands its finished results to the writer and gives up on it.</summary>
        public void Leave(CancellationToken token)
        {
            // Left on purpose: not a point the process would have ended in.
            Run.Journal?.Leave();
            executor.Budget?.Give(Interlocked.Exchange(ref _cores, 0));
            if (!Run.Computed.IsEmpty)
            {
                masks.Or(_point, Run.Computed.Bits);
            }

            Run.Gate.Abandon();
            writer.Enqueue(Run.Batch, token);
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
