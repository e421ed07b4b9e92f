using System;
using System.Diagnostics;
using System.Linq;
using Cairn.Columns;
using Cairn.Execution;
using Cairn.Programs;
using Cairn.Storage;

namespace Cairn.Hosting;

/// <summary>
/// The state of one point's run on one worker thread, driven by the generated <c>RunPoint</c>:
/// <see cref="Begin"/> says whether a step must run, <see cref="Succeed{T}"/> and <see cref="Fail"/>
/// record its outcome. Not thread-safe: each worker has its own.
/// </summary>
public sealed class PointRun
{
    private readonly CampaignGraph _graph;
    private readonly StepCounts[] _counts;
    private ResultBatch _batch;
    private StepSet _mustRun;
    private StepSet _load;
    private StepSet _succeeded;
    private Guid _point;
    private long _began;
    private readonly DateTime _epoch = DateTime.UtcNow;
    private readonly long _epochTimestamp = Stopwatch.GetTimestamp();

    internal PointRun(CampaignGraph graph, ResultBatch batch)
    {
        _graph = graph;
        _batch = batch;
        _counts = new StepCounts[graph.PerPointCount];
        Keys = new PointId[graph.PerPointCount];
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] = new StepCounts();
        }
    }

    internal StepCounts[] Counts => _counts;

    /// <summary>Guards this run's buffers while a step's code runs (see <see cref="StepGate"/>).</summary>
    internal StepGate Gate { get; } = new();

    /// <summary>Where a supervised run says which point and step this worker is inside; null when not supervised.</summary>
    internal JournalSlot? Journal { get; set; }

    /// <summary>The steps of the current point that ran and succeeded (not those loaded).</summary>
    internal StepSet Computed => _succeeded & _mustRun;

    /// <summary>The current keys of this point's per-point results, filled by the executor before <see cref="Start"/>.</summary>
    internal PointId[] Keys { get; }

    internal ResultBatch Batch
    {
        get => _batch;
        set => _batch = value;
    }

    /// <summary>The stored inputs loaded for the deferred points this worker runs, if any.</summary>
    internal StoredInputs? Inputs { get; set; }

    internal void Start(Guid point, PointPlan plan)
    {
        _point = point;
        _mustRun = plan.Run;
        _load = plan.Load;
        _succeeded = StepSet.Empty;
        for (int step = 0; step < _counts.Length; step++)
        {
            if (!plan.Run.Contains(step))
            {
                _counts[step].Cached++;
            }
        }
    }

    /// <summary>Whether step <paramref name="step"/> must run for this point: its result is needed and its inputs exist.</summary>
    public bool Begin(int step)
    {
        if (!_mustRun.Contains(step) || Gate.IsAbandoned)
        {
            return false;
        }

        foreach (int producer in _graph.InputSteps[step])
        {
            if (!_succeeded.Contains(producer))
            {
                _counts[step].Skipped++;
                return false;
            }
        }

        _began = Stopwatch.GetTimestamp();
        Journal?.Enter(_point, step);
        Gate.Enter(step);
        RunningStep.Enter(_graph.Steps[step], Gate.GivenUp);
        return true;
    }

    /// <summary>
    /// Sets <paramref name="value"/> to step <paramref name="step"/>'s stored result when a running
    /// step needs it as an input; otherwise leaves it as it is.
    /// </summary>
    public void Load<T>(int step, ref T value)
    {
        if (!_load.Contains(step) || Gate.IsAbandoned)
        {
            return;
        }

        value = Inputs!.Get<T>(step, _point);
        _succeeded = _succeeded.With(step);
    }

    /// <summary>Records the value step <paramref name="step"/> returned, and buffers it for the writer.</summary>
    /// <exception cref="InvalidOperationException">The step returned null (the generated code records it as the step's failure).</exception>
    public void Succeed<T>(int step, T value)
    {
        if (!Gate.TryLeave())
        {
            // The run gave up on this step (its time limit): what it returns now is not kept.
            return;
        }

        Journal?.Leave();

        if (value is null)
        {
            throw new InvalidOperationException($"step '{_graph.Steps[step].Name}' returned null; return a value, or throw to record a failure");
        }

        // A step runs only when its current result is not stored (the planner loads stored ones).
        var product = _batch.Products[step];
        int row = product.PointIds.Count;
        ((RecordColumns<T>)product.Values).Append(value);
        if (Utf16Text.InvalidColumn(product.Values.Columns, row) is string column)
        {
            // Stored as UTF-8 the string would silently change: the step fails instead.
            foreach (Column appended in product.Values.Columns)
            {
                appended.Truncate(row);
            }

            string message = $"step '{_graph.Steps[step].Name}' returned a string that is not valid UTF-16 in '{column}' (an unpaired surrogate), which cannot be stored as it is; fix the string the step makes";
            Record(step, $"{FailureCauses.InvalidText}: {message}");
            _counts[step].Failed++;
            _batch.Failures.Add(_graph.Steps[step].Name, _point, FailureCauses.InvalidText, message);
            return;
        }

        Record(step, null);
        _succeeded = _succeeded.With(step);
        _counts[step].Computed++;
        product.PointIds.Append(_point);
        product.ResultKeys.Append(Keys[step].ToGuid());
    }

    /// <summary>Records that step <paramref name="step"/> threw; its dependants are skipped for this point.</summary>
    public void Fail(int step, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!Gate.TryLeave())
        {
            return;
        }

        Journal?.Leave();

        Record(step, ProvenanceBuffer.Describe(error));
        _counts[step].Failed++;
        _batch.Failures.Add(_graph.Steps[step].Name, _point, error);
    }

    /// <summary>
    /// Records that step <paramref name="step"/>, still running, exceeded its time limit: a failure
    /// with the cause <see cref="FailureCauses.Timeout"/>, and its dependants skipped. Called by the run's
    /// watchdog while it holds <see cref="Gate"/>, which then gives up on this run for good.
    /// </summary>
    internal void TimeOut(int step, TimeSpan limit)
    {
        Journal?.Leave();
        string message = FailureCauses.TimeoutMessage(_graph.Steps[step].Name, limit);
        Record(step, $"{FailureCauses.Timeout}: {message}");
        _counts[step].Failed++;
        _batch.Failures.Add(_graph.Steps[step].Name, _point, FailureCauses.Timeout, message);
        StepSet failed = StepSet.Only(step);
        for (int later = step + 1; later < _counts.Length; later++)
        {
            if (_mustRun.Contains(later) && _graph.InputSteps[later].Any(failed.Contains))
            {
                _counts[later].Skipped++;
                failed = failed.With(later);
            }
        }
    }

    /// <summary>
    /// Records that the point <paramref name="point"/> cannot run: its first steps (those that read
    /// no other step) fail with <paramref name="cause"/>, and the others are skipped.
    /// </summary>
    internal void Refuse(Guid point, string cause, string message)
    {
        for (int step = 0; step < _counts.Length; step++)
        {
            if (_graph.InputSteps[step].Length == 0)
            {
                _counts[step].Failed++;
                _batch.Failures.Add(_graph.Steps[step].Name, point, cause, message);
            }
            else
            {
                _counts[step].Skipped++;
            }
        }
    }

    /// <summary>The provenance row of the run of step <paramref name="step"/> that began at <see cref="Begin"/>.</summary>
    private void Record(int step, string? error)
    {
        long ended = Stopwatch.GetTimestamp();
        int[] producers = _graph.InputSteps[step];
        var inputs = new Guid[producers.Length];
        for (int i = 0; i < producers.Length; i++)
        {
            inputs[i] = Keys[producers[i]].ToGuid();
        }

        DateTime start = _epoch + Stopwatch.GetElapsedTime(_epochTimestamp, _began);
        _batch.Provenance.Add(Keys[step].ToGuid(), _graph.Steps[step], _point, inputs, start, Stopwatch.GetElapsedTime(_began, ended), error);
    }
}
