using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;

namespace Cairn.Execution;

/// <summary>
/// A thread beside a run's workers that adds up their step counts every
/// <see cref="IProgressDisplay.Interval"/> and hands the sum to the display. The workers keep
/// counting as they do without it (plain increments of their own counters, read here without a
/// lock: a sample may lag by a point, never by more), so a run pays nothing per point for it.
/// Before its first sample it counts the points [Points] gives, so that the display can tell how
/// many are left.
/// </summary>
internal sealed class ProgressSampler : IDisposable
{
    private readonly IProgressDisplay _display;
    private readonly string[] _steps;
    private readonly Func<IReadOnlyList<StepCounts[]>> _counts;
    private readonly Func<CancellationToken, long?> _countPoints;
    private readonly Func<long> _duplicates;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Thread _thread;

    private ProgressSampler(IProgressDisplay display, string[] steps, Func<IReadOnlyList<StepCounts[]>> counts, Func<CancellationToken, long?> countPoints, Func<long> duplicates)
    {
        _display = display;
        _steps = steps;
        _counts = counts;
        _countPoints = countPoints;
        _duplicates = duplicates;
        _thread = new Thread(Sample) { Name = "cairn-progress", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Starts sampling for <paramref name="display"/>; null (and nothing started) when there is none.</summary>
    /// <param name="display">Where the samples go.</param>
    /// <param name="steps">The names of the per-point steps.</param>
    /// <param name="counts">The counters of the moment: one array per worker (the watchdog adds workers), a counter per per-point step.</param>
    /// <param name="countPoints">Counts the points the run goes through, duplicates included; null when they cannot be told, or when the run ends first (the token).</param>
    /// <param name="duplicates">How many of them the workers have met again so far: the total shown is the count less these, the run's distinct points once all are met.</param>
    public static ProgressSampler? Start(IProgressDisplay? display, IEnumerable<string> steps, Func<IReadOnlyList<StepCounts[]>> counts, Func<CancellationToken, long?> countPoints, Func<long> duplicates) =>
        display is null ? null : new ProgressSampler(display, steps.ToArray(), counts, countPoints, duplicates);

    /// <summary>The counts of now, summed over the workers, of <paramref name="points"/> (duplicates included; null when not counted yet).</summary>
    public ProgressSample Now(long? points)
    {
        IReadOnlyList<StepCounts[]> workers = _counts();
        var steps = new StepProgress[_steps.Length];
        for (int s = 0; s < steps.Length; s++)
        {
            long computed = 0, cached = 0, failed = 0, skipped = 0;
            foreach (StepCounts[] worker in workers)
            {
                StepCounts counts = worker[s];
                computed += counts.Computed;
                cached += counts.Cached;
                failed += counts.Failed;
                skipped += counts.Skipped;
            }

            steps[s] = new StepProgress(_steps[s], computed, cached, failed, skipped);
        }

        return new ProgressSample(_clock.Elapsed, points - _duplicates(), steps);
    }

    private void Sample()
    {
        long? points = null;
        try
        {
            points = _countPoints(_stop.Token);
        }
        catch (CairnException)
        {
            // A [Points] method that throws stops the run itself, with its message; here it only leaves the total untold.
        }

        while (!_stop.Token.WaitHandle.WaitOne(_display.Interval))
        {
            _display.Show(Now(points));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _display.End();
    }
}
