using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Cairn.Runtime.Tests;

public enum Phase
{
    Solid,
    Liquid,
    Gas,
}

public record TestPoint(int Index, string Label, Phase Phase);

public record Squared(double Value, long[] Digits, Phase Phase, DateTime Stamp);

/// <summary>With the types only HDF5 stores: a complex number and a 2-D array whose shape varies (1 to 3 rows).</summary>
public record Shifted(double Value, bool Positive, System.Numerics.Complex Amplitude, double[,] Block);

public record Total(double Sum, int Count);

/// <summary>A group's sum, and the first and last point index of the group, as the points list gives them.</summary>
public record PhaseTotal(double Sum, int Count, int First, int Last);

public record Balance(double Difference, int Groups);

public record Mean(double Average, long Count);

/// <summary>
/// The campaign of the runtime tests: two per-point steps and a reduction. Square throws for every
/// index ending in 7, so every run has failures and skipped dependants to account for.
/// </summary>
public static class TestSteps
{
    /// <summary>How many points <see cref="Points"/> yields; tests that change it run in the "campaign" collection.</summary>
    public static int PointCount { get; set; } = 100;

    public static int SquareCalls => s_squareCalls;

    private static int s_squareCalls;

    public static void ResetCalls() => Interlocked.Exchange(ref s_squareCalls, 0);

    /// <summary>When set, <see cref="Points"/> throws at point 50, as a broken [Points] method would.</summary>
    public static bool PointsThrow { get; set; }

    /// <summary>When set, gives the label of point i (instead of "p{i}").</summary>
    public static Func<int, string>? Labels { get; set; }

    /// <summary>When set, gives the phase of point i (instead of solid for even i, liquid for odd).</summary>
    public static Func<int, Phase>? Phases { get; set; }

    /// <summary>The points, with the first three repeated: duplicates must count once.</summary>
    [Points]
    public static IEnumerable<TestPoint> Points() =>
        Enumerable.Range(0, PointCount).Concat(Enumerable.Range(0, Math.Min(3, PointCount)))
            .Select(i => PointsThrow && i == 50 ? throw new FormatException("bad row 50") : i)
            .Select(i => new TestPoint(i, Labels?.Invoke(i) ?? $"p{i}", Phases?.Invoke(i) ?? (i % 2 == 0 ? Phase.Solid : Phase.Liquid)));

    /// <summary>When set (the default), <see cref="Square"/> fails at every index ending in 7; tests that clear it run in the "campaign" collection.</summary>
    public static bool Unlucky { get; set; } = true;

    public static bool Fails(int index) => Unlucky && index % 10 == 7;

    private static ManualResetEventSlim s_release = new(true);

    /// <summary>The point at which <see cref="Square"/> hangs until <see cref="Release"/>; -1 for none.</summary>
    public static int HangAt { get; private set; } = -1;

    /// <summary>Makes <see cref="Square"/> hang at point <paramref name="index"/> until <see cref="Release"/>, as a step caught in an endless loop would.</summary>
    public static void Hang(int index)
    {
        s_release = new ManualResetEventSlim(false);
        HangAt = index;
    }

    /// <summary>What the hanging <see cref="Square"/> saw of the run giving up on it: a program it ran would be killed when this is cancelled.</summary>
    public static CancellationToken GivenUpWhileHanging { get; private set; }

    /// <summary>What the held <see cref="Reduce"/> saw of the run giving up on it.</summary>
    public static CancellationToken GivenUpWhileHeld { get; private set; }

    /// <summary>Lets a hanging <see cref="Square"/> return, and hang no more.</summary>
    public static void Release()
    {
        HangAt = -1;
        s_release.Set();
    }

    /// <summary>When set, <see cref="Square"/> and <see cref="Shift"/> tell it when they run (and take 2 ms more).</summary>
    public static StepProbe? Probe { get; set; }

    [Step, Output("square")]
    public static Squared Square(TestPoint p)
    {
        using IDisposable? probed = Probe?.Inside("Square");
        Interlocked.Increment(ref s_squareCalls);
        if (p.Index == HangAt)
        {
            GivenUpWhileHanging = Cairn.Programs.RunningStep.GivenUp;
            s_release.Wait();
        }
        if (Fails(p.Index))
        {
            throw new InvalidOperationException($"point {p.Index} is unlucky");
        }

        return new Squared((double)p.Index * p.Index, p.Index.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => (long)(c - '0')).ToArray(),
            p.Phase, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(p.Index));
    }

    /// <summary>Stored as HDF5 whatever the campaign's format: every test runs a store of both formats.</summary>
    [Step, Output("shift", Container = Container.Hdf5)]
    public static Shifted Shift([Input("square")] Squared s, TestPoint p)
    {
        using IDisposable? probed = Probe?.Inside("Shift");
        var block = new double[(p.Index % 3) + 1, 2];
        for (int row = 0; row < block.GetLength(0); row++)
        {
            block[row, 0] = p.Index;
            block[row, 1] = row;
        }

        return new(s.Value - p.Index, s.Value >= 50, new System.Numerics.Complex(p.Index, -0.5 * p.Index), block);
    }

    /// <summary>When set, <see cref="Reduce"/> waits for it: a reduction that hangs.</summary>
    public static ManualResetEventSlim? HoldReduction { get; set; }

    [Step(Name = "Sum", Partial = true), Output("total")]
    public static Total Reduce([Input("shift")] IReadOnlyList<Shifted> all)
    {
        if (HoldReduction is { } hold)
        {
            GivenUpWhileHeld = Cairn.Programs.RunningStep.GivenUp;
            hold.Wait();
        }
        return new(all.Sum(x => x.Value), all.Count);
    }

    /// <summary>A reduction that streams its input from the store, shard by shard.</summary>
    [Step(Name = "Mean", Partial = true), Output("mean")]
    public static Mean Average([Input("shift")] IEnumerable<Shifted> all)
    {
        double sum = 0;
        long count = 0;
        foreach (Shifted value in all)
        {
            sum += value.Value;
            count++;
        }

        return new(count == 0 ? 0 : sum / count, count);
    }

    /// <summary>When set, each group of <see cref="SumByPhase"/> waits at it for the other: they must run at once.</summary>
    public static Barrier? GroupsMeet { get; set; }

    /// <summary>When set, <see cref="SumByPhase"/> throws for the liquid group.</summary>
    public static bool LiquidFails { get; set; }

    public static int SumByPhaseCalls => s_sumByPhaseCalls;

    private static int s_sumByPhaseCalls;

    public static void ResetGroupCalls() => Interlocked.Exchange(ref s_sumByPhaseCalls, 0);

    /// <summary>A grouped reduction: once per phase, over that phase's points, which it sees beside their values.</summary>
    [Step(Name = "ByPhase", Partial = true), GroupBy(nameof(TestPoint.Phase)), Output("phases")]
    public static PhaseTotal SumByPhase([Input("shift")] IReadOnlyList<Shifted> all, IReadOnlyList<TestPoint> points)
    {
        Interlocked.Increment(ref s_sumByPhaseCalls);
        if (GroupsMeet is { } meet && !meet.SignalAndWait(TimeSpan.FromSeconds(20)))
        {
            throw new TimeoutException("the other group did not run at the same time");
        }

        if (LiquidFails && points[0].Phase == Phase.Liquid)
        {
            throw new InvalidOperationException("the liquid group fails");
        }

        return new(all.Sum(x => x.Value), all.Count, points[0].Index, points[^1].Index);
    }

    /// <summary>A reduction of a grouped product: all groups' results, keyed by group.</summary>
    [Step(Name = "Balance"), Output("balance")]
    public static Balance Compare([Input("phases")] IReadOnlyDictionary<Phase, PhaseTotal> phases) =>
        new(phases[Phase.Solid].Sum - phases[Phase.Liquid].Sum, phases.Count);
}

/// <summary>Counts the test campaign's steps that run at once, and the most that did while a Shift ran.</summary>
public sealed class StepProbe
{
    private readonly object _lock = new();
    private int _running;
    private int _shifts;

    /// <summary>The most steps that ran at once.</summary>
    public int MostAtOnce { get; private set; }

    /// <summary>The most steps that ran at once while a Shift ran, that Shift included.</summary>
    public int MostWithShift { get; private set; }

    /// <summary>Called with the step's name as each step starts, for a test to change the store meanwhile.</summary>
    public Action<string>? Starting { get; init; }

    /// <summary>A step starts; it ends when the result is disposed. Each takes 2 ms, so that steps of several workers overlap.</summary>
    public IDisposable Inside(string step)
    {
        Starting?.Invoke(step);
        lock (_lock)
        {
            _running++;
            _shifts += step == "Shift" ? 1 : 0;
            MostAtOnce = Math.Max(MostAtOnce, _running);
            MostWithShift = _shifts > 0 ? Math.Max(MostWithShift, _running) : MostWithShift;
        }

        Thread.Sleep(2);
        return new Ended(this, step);
    }

    private sealed class Ended(StepProbe probe, string step) : IDisposable
    {
        public void Dispose()
        {
            lock (probe._lock)
            {
                probe._running--;
                probe._shifts -= step == "Shift" ? 1 : 0;
            }
        }
    }
}
