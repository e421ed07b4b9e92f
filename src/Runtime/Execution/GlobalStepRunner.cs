using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Cairn.Columns;
using Cairn.Hosting;
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

    /// <param name="definition">The campaign.</param>
    /// <param name="store">Its store.</param>
    /// <param name="points">The points whose results the list inputs cover.</param>
    /// <param name="keys">The keys the run derived in memory: a step whose key is stored is cached without reading its inputs' keys.</param>
    /// <param name="warn">Receives the line that says why a reduction is blocked.</param>
    /// <param name="stepTimeout">The time limit of a step that declares none (<c>--step-timeout</c>).</param>
    public GlobalStepRunner(CampaignDefinition<TPoint> definition, CampaignStore store, CurrentPoints points, RunKeys keys, Action<string>? warn = null, TimeSpan? stepTimeout = null)
    {
        _stepTimeout = stepTimeout;
        _definition = definition;
        _store = store;
        _graph = definition.Graph;
        _current = new CurrentResults<TPoint>(definition, store, points);
        _points = points;
        _keys = keys;
        _warn = warn ?? (_ => { });
    }

    /// <summary>Runs the step unless cached or missing an input; returns the number of files committed.</summary>
    public int Run(int step, StepCounts counts)
    {
        StepInfo info = _graph.Steps[step];
        long missing = _keys.Missing(step);
        if (ReductionCoverage.IsBlocked(info, missing))
        {
            _warn(ReductionCoverage.Message(info, missing, _points.Count));
            counts.Skipped++;
            return 0;
        }

        ProductBuffer stored = ProductReader.LoadKeys(_store, _definition, step);
        if (_keys.Global(step) is PointId key && CurrentResults<TPoint>.RowOfKey(stored, key) >= 0)
        {
            counts.Cached++;
            return 0;
        }

        GlobalInputs? plan = _current.Global(step);
        if (plan is null)
        {
            counts.Skipped++;
            return 0;
        }

        if (CurrentResults<TPoint>.RowOfKey(stored, plan.Key) >= 0)
        {
            counts.Cached++;
            return 0;
        }

        int[] producers = _graph.InputSteps[step];
        var inputs = new ProductBuffer?[producers.Length];
        for (int i = 0; i < producers.Length; i++)
        {
            inputs[i] = ProductReader.LoadValues(_store, _definition, producers[i]);
            if (inputs[i]!.Values.Count != plan.StoredRows[i])
            {
                // Another writer committed or compacted shards since the rows were found.
                throw new StoreException($"{_store.ProductDirectory(_graph.Steps[producers[i]].Product)} changed while it was read; run again.");
            }
        }

        ProductBuffer output = ProductBuffer.Global(_definition.CreateColumns(step));
        var run = new GlobalRun(inputs, plan.Rows, output);
        DateTime start = DateTime.UtcNow;
        long began = Stopwatch.GetTimestamp();
        (string Cause, string Message)? failure = RunWithin(step, run, info.Timeout ?? _stepTimeout);

        // One provenance row for the whole map: its inputs are the digests of the input lists.
        var provenance = new ProvenanceBuffer();
        provenance.Add(plan.Key.ToGuid(), info, null, [.. plan.Digests.Select(d => d.ToGuid())], start, Stopwatch.GetElapsedTime(began),
            failure is { } f ? $"{f.Cause}: {f.Message}" : null);
        provenance.CompletePeakWorkingSet();
        int files = _store.CommitTable(_store.ProvenanceDirectory, "provenance", provenance.All);
        if (failure is { } failed)
        {
            counts.Failed++;
            var failures = new FailureBuffer();
            failures.Add(info.Name, Guid.Empty, failed.Cause, failed.Message);
            return files + _store.CommitTable(_store.FailuresDirectory, "failures", failures.All);
        }

        if (!run.Succeeded)
        {
            // A row of keys without values would misalign the shard's columns: never write one.
            throw new InvalidOperationException($"the generated code for step '{info.Name}' returned no value");
        }

        counts.Computed++;
        output.ResultKeys.Append(plan.Key.ToGuid());
        output.InputCount.Append(plan.Count);
        output.PointCount.Append(_points.Count);
        return files + Commit(_store.CreateSink(info, long.MaxValue, TimeSpan.MaxValue), output.All);
    }

    /// <summary>
    /// Runs the step, on a thread of its own when it has a time limit: past it, the thread is left to
    /// itself (what it makes is dropped) and the step fails as <see cref="FailureCauses.Timeout"/>.
    /// Returns the failure's cause (the exception's type, or TIMEOUT) and message, or null.
    /// </summary>
    private (string Cause, string Message)? RunWithin(int step, GlobalRun run, TimeSpan? limit)
    {
        Exception? error = null;
        void Body()
        {
            try
            {
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
                return (FailureCauses.Timeout, FailureCauses.TimeoutMessage(_graph.Steps[step].Name, limit.Value));
            }
        }

        return error is null ? null : (FailureBuffer.CauseOf(error), error.Message);
    }

    /// <summary>Commits the rows as one shard of <paramref name="created"/>; returns the files committed.</summary>
    private static int Commit(ShardSink created, IReadOnlyList<Column> rows)
    {
        using ShardSink sink = created;
        sink.Append(rows);
        sink.Commit();
        return sink.FilesCommitted;
    }
}
