using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Cairn.Columns;
using Cairn.Hosting;
using Cairn.Programs;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// Runs a global step once over what the store holds: list inputs aligned on the points that have
/// current results for all of them (ordered by point id), single inputs from another global step's
/// current result. Cached when a result with the same key is stored: in a run the key comes from
/// memory (<see cref="RunKeys"/>), otherwise from the inputs' key columns, never from their values.
/// A reduction runs only when every current point has its list inputs; one marked
/// <c>[Step(Partial = true)]</c> runs over those that have them, and its row says how many of how many.
/// </summary>
internal sealed class GlobalStepRunner<TPoint>
{
    private readonly CampaignDefinition<TPoint> _definition;
    private readonly CampaignStore _store;
    private readonly CampaignGraph _graph;
    private readonly CurrentResults<TPoint> _current;
    private readonly CurrentPoints _points;
    private readonly RunKeys _keys;
    private readonly Action<string> _warn;
    private readonly TimeSpan? _stepTimeout;
    private readonly int _workers;
    private readonly KnownCurrent? _known;

    /// <param name="definition">The campaign.</param>
    /// <param name="store">Its store.</param>
    /// <param name="points">The points whose results the list inputs cover.</param>
    /// <param name="keys">The keys the run derived in memory: a step whose key is stored is cached without reading its inputs' keys.</param>
    /// <param name="warn">Receives the line that says why a reduction is blocked.</param>
    /// <param name="stepTimeout">The time limit of a step that declares none (<c>--step-timeout</c>).</param>
    /// <param name="workers">How many groups of a grouped step run at once.</param>
    /// <param name="known">What the run knows of where the current rows lie: a product whose rows are all current streams without a check per row.</param>
    public GlobalStepRunner(CampaignDefinition<TPoint> definition, CampaignStore store, CurrentPoints points, RunKeys keys, Action<string>? warn = null, TimeSpan? stepTimeout = null, int workers = 1, KnownCurrent? known = null)
    {
        _known = known;
        _workers = Math.Max(1, workers);
        _stepTimeout = stepTimeout;
        _definition = definition;
        _store = store;
        _graph = definition.Graph;
        _current = new CurrentResults<TPoint>(definition, store, points);
        _points = points;
        _keys = keys;
        _keys.GroupsDigest ??= _current.GroupsDigest;
        _warn = warn ?? (_ => { });
    }

    /// <summary>
    /// Runs the step unless cached or missing an input (a grouped step: each group whose result is
    /// not stored, in parallel on the run's workers); returns the number of files committed.
    /// </summary>
    public int Run(int step, StepCounts counts)
    {
        StepInfo info = _graph.Steps[step];
        long missing = _keys.Missing(step);
        bool blocked = ReductionCoverage.IsBlocked(info, missing);
        if (blocked)
        {
            _warn(ReductionCoverage.Message(info, missing, _points.Count));
            if (!info.IsGrouped)
            {
                counts.Skipped++;
                return 0;
            }
        }

        ProductBuffer stored = ProductReader.LoadKeys(_store, _definition, step);
        if (_keys.Global(step) is PointId key && CurrentResults<TPoint>.RowOfKey(stored, key) >= 0)
        {
            counts.Cached++;
            return 0;
        }

        if (!info.IsGrouped && info.Inputs.Any(i => i.Streamed))
        {
            return RunStreamed(step, counts);
        }

        GlobalPlan? plan = _current.Global(step);
        if (plan is null)
        {
            counts.Skipped++;
            return 0;
        }

        var storedKeys = new HashSet<Guid>(stored.ResultKeys.Values.ToArray());
        GlobalInputs[] pending = [.. plan.Runs.Where(r => !storedKeys.Contains(r.Key.ToGuid()))];
        counts.Cached += plan.Runs.Count - pending.Length;
        if (blocked)
        {
            // A grouped step that is not partial runs the groups whose points all have their inputs; the others wait.
            GlobalInputs[] complete = [.. pending.Where(r => r.Count == r.Points)];
            counts.Skipped += pending.Length - complete.Length;
            pending = complete;
        }

        if (pending.Length == 0)
        {
            return 0;
        }

        ProductBuffer?[] inputs = LoadInputs(step, plan);
        var done = new RunDone[pending.Length];
        // A group's run holds the cores its step needs ([Resources]): as many groups at once as fit.
        Parallel.For(0, pending.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _workers / info.Resources.AllCores) }, i =>
        {
            ProductBuffer output = ProductReader.Empty(_definition, step);
            var run = new GlobalRun(inputs, pending[i], plan.Points, output);
            DateTime start = DateTime.UtcNow;
            long began = Stopwatch.GetTimestamp();
            (string Cause, string Message)? failure = RunWithin(step, run, info.Timeout ?? _stepTimeout);
            if (failure is null && !run.Succeeded)
            {
                failure = NoValue(info);
            }

            done[i] = new RunDone(output, failure, start, Stopwatch.GetElapsedTime(began));
        });

        return Commit(step, counts, plan.Groups, pending, done);
    }

    /// <summary>
    /// Commits what the runs made: a provenance row each (its inputs are the digests of the input
    /// lists, one node for the whole map), the failures with their group, and the results as one shard.
    /// </summary>
    private int Commit(int step, StepCounts counts, PointGroups? groups, IReadOnlyList<GlobalInputs> pending, RunDone[] done)
    {
        StepInfo info = _graph.Steps[step];
        var provenance = new ProvenanceBuffer();
        var failures = new FailureBuffer();
        ProductBuffer results = ProductReader.Empty(_definition, step);
        for (int i = 0; i < pending.Count; i++)
        {
            GlobalInputs run = pending[i];
            RunDone ended = done[i];
            string? group = groups is { } named ? GroupName(info, named, run.Group) : null;
            provenance.Add(run.Key.ToGuid(), info, null, [.. run.Digests.Select(d => d.ToGuid())], ended.Start, ended.Duration,
                ended.Failure is { } f ? $"{f.Cause}: {(group is null ? "" : group + ": ")}{f.Message}" : null);
            if (ended.Failure is { } failed)
            {
                counts.Failed++;
                failures.Add(info.Name, Guid.Empty, failed.Cause, group is null ? failed.Message : $"{group}: {failed.Message}");
                continue;
            }

            counts.Computed++;
            ended.Output.ResultKeys.Append(run.Key.ToGuid());
            ended.Output.InputCount.Append(run.Count);
            ended.Output.PointCount.Append(run.Points);
            if (groups is { } keys)
            {
                for (int c = 0; c < keys.Keys.Columns.Count; c++)
                {
                    ended.Output.GroupKeys!.Columns[c].AppendFrom(keys.Keys.Columns[c], run.Group);
                }
            }

            results.AppendRow(ended.Output, 0);
        }

        provenance.CompletePeakWorkingSet();
        int files = _store.CommitTable(_store.ProvenanceDirectory, "provenance", provenance.All);
        if (failures.Count > 0)
        {
            files += _store.CommitTable(_store.FailuresDirectory, "failures", failures.All);
        }

        return results.Count == 0 ? files : files + CommitShard(_store.CreateSink(info, long.MaxValue, TimeSpan.MaxValue), results.All);
    }

    /// <summary>
    /// Runs a reduction that streams its per-point input: its key, digests and coverage come from the
    /// run's table (<see cref="RunKeys"/>), and its values from the store shard by shard as the step
    /// reads them, so that nothing the size of the campaign is held.
    /// </summary>
    private int RunStreamed(int step, StepCounts counts)
    {
        StepInfo info = _graph.Steps[step];
        if (_keys.Global(step) is not PointId key)
        {
            counts.Skipped++;
            return 0;
        }

        int[] producers = _graph.InputSteps[step];
        long covered = _keys.Covered(step);
        var inputs = new ProductBuffer?[producers.Length];
        var streams = new IValueStream?[producers.Length];
        var rows = new int[producers.Length][];
        ProductStream<TPoint>? stream = null;
        for (int i = 0; i < producers.Length; i++)
        {
            if (info.Inputs[i].Streamed)
            {
                streams[i] = stream = new ProductStream<TPoint>(_store, _definition, producers[i], _points, covered, _known);
                rows[i] = [];
                continue;
            }

            // A product computed once: its current row (or a grouped product's rows), and its values.
            ProductBuffer product = inputs[i] = ProductReader.Load(_store, _definition, producers[i]);
            if (!_current.Single(producers[i], product, out rows[i], out _))
            {
                counts.Skipped++;
                return 0;
            }
        }

        var run = new GlobalInputs(key, (int)covered, _points.Count, rows, null, _keys.Digests(step), -1);
        ProductBuffer output = ProductReader.Empty(_definition, step);
        var global = new GlobalRun(inputs, run, null, output, streams);
        DateTime start = DateTime.UtcNow;
        long began = Stopwatch.GetTimestamp();
        (string Cause, string Message)? failure = RunWithin(step, global, info.Timeout ?? _stepTimeout);
        if (failure is null && stream is { Finished: true } && stream.Given != covered)
        {
            failure = (nameof(StoreException), stream.Changed().Message);
        }

        return Commit(step, counts, null, [run], [new RunDone(output, failure is null && !global.Succeeded ? NoValue(info) : failure, start, Stopwatch.GetElapsedTime(began))]);
    }

    /// <summary>A run that returned without a value: a row of keys without values would misalign the shard's columns, so none is written.</summary>
    private static (string Cause, string Message) NoValue(StepInfo info) =>
        (nameof(InvalidOperationException), $"the generated code for step '{info.Name}' returned no value");

    /// <summary>A group as its failures and provenance name it: <c>Size=4</c>, <c>Size=4, Phase=Solid</c>.</summary>
    internal static string GroupName(StepInfo info, PointGroups groups, int group) =>
        string.Join(", ", info.GroupBy.Select((name, c) => $"{name}={Column.Format(groups.Keys.Columns[c].GetBoxed(group))}"));

    /// <summary>The values of every input's product (and of a grouped product its group columns), checked against the rows the plan was made from.</summary>
    private ProductBuffer?[] LoadInputs(int step, GlobalPlan plan)
    {
        int[] producers = _graph.InputSteps[step];
        var inputs = new ProductBuffer?[producers.Length];
        for (int i = 0; i < producers.Length; i++)
        {
            ProductBuffer buffer = inputs[i] = ProductReader.LoadValues(_store, _definition, producers[i]);
            if (buffer.Values.Count != plan.StoredRows[i])
            {
                // Another writer committed or compacted shards since the rows were found.
                throw new StoreException($"{_store.ProductDirectory(_graph.Steps[producers[i]].Product)} changed while it was read; run again.");
            }
        }

        return inputs;
    }

    /// <summary>What one run made: its output row, or why it failed; when it started and how long it took.</summary>
    private sealed record RunDone(ProductBuffer Output, (string Cause, string Message)? Failure, DateTime Start, TimeSpan Duration);

    /// <summary>
    /// Runs the step, on a thread of its own when it has a time limit: past it, the thread is left to
    /// itself (what it makes is dropped, and a program it runs is killed) and the step fails as
    /// <see cref="FailureCauses.Timeout"/>. Returns the failure's cause (the exception's type, or
    /// TIMEOUT) and message, or null.
    /// </summary>
    private (string Cause, string Message)? RunWithin(int step, GlobalRun run, TimeSpan? limit)
    {
        Exception? error = null;
        // Not disposed: a thread left to itself may still look at its token.
        var givenUp = new CancellationTokenSource();
        void Body()
        {
            try
            {
                RunningStep.Enter(_graph.Steps[step], givenUp.Token);
                _definition.RunGlobal(step, run);
            }
            catch (Exception e)
            {
                error = e;
            }
        }

        if (limit is null)
        {
            Body();
        }
        else
        {
            var thread = new Thread(Body) { Name = "cairn-global-step", IsBackground = true };
            thread.Start();
            if (!thread.Join(limit.Value))
            {
                givenUp.Cancel();
                return (FailureCauses.Timeout, FailureCauses.TimeoutMessage(_graph.Steps[step].Name, limit.Value));
            }
        }

        return error is null ? null : (FailureBuffer.CauseOf(error), error.Message);
    }

    /// <summary>Commits the rows as one shard of <paramref name="created"/>; returns the files committed.</summary>
    private static int CommitShard(ShardSink created, IReadOnlyList<Column> rows)
    {
        using ShardSink sink = created;
        sink.Append(rows);
        sink.Commit();
        return sink.FilesCommitted;
    }
}
