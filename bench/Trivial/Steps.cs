using System;
using System.Collections.Generic;
using System.Globalization;
using Cairn;

namespace Trivial;

public record Point(long Index);

#if OUTPUT_ARRAY
// -p:FirstOutput=array (bench/arrays): the first step returns a ragged array of 4 to 8 values, the shape of a small wavefunction.
public record First(double[] X);
#else
public record First(double X);
#endif

public record Second(double Y);

public record Total(double Sum, long Count);

/// <summary>
/// Two trivial per-point steps and a reduction: what is measured is Cairn's own overhead. The
/// reduction streams its input, or with <c>-p:Reduction=list</c> reads a list, or with
/// <c>-p:Reduction=none</c> there is none (bench/reduction compares them).
/// </summary>
public static class Steps
{
    [Points]
    public static IEnumerable<Point> Points()
    {
        long n = long.Parse(Environment.GetEnvironmentVariable("CAIRN_BENCH_POINTS") ?? "1000000", CultureInfo.InvariantCulture);
        for (long i = 0; i < n; i++)
        {
            yield return new Point(i);
        }
    }

    [Step, Output("first")]
#if OUTPUT_ARRAY
    public static First Half(Point p)
    {
        var x = new double[4 + (int)(p.Index % 5)];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (p.Index + i) * 0.5;
        }

        return new(x);
    }

    /// <summary>What the second step reads of the first's value: all of it.</summary>
    private static double Value(First f)
    {
        double sum = 0;
        foreach (double x in f.X)
        {
            sum += x;
        }

        return sum;
    }
#else
    public static First Half(Point p) => new(p.Index * 0.5);

    private static double Value(First f) => f.X;
#endif

    /// <summary>What the second step adds; -p:Edit=second edits it, as a physicist edits a step between runs.</summary>
#if EDIT_SECOND
    private const double Offset = 2;
#else
    private const double Offset = 1;
#endif

#if REDUCTION_NONE
    // No reduction (-p:Reduction=none): the baseline a reduction's memory is measured against.
    [Step(Final = true), Output("second")]
    public static Second Shift([Input("first")] First f) => new(Value(f) + Offset);
#else
    [Step, Output("second")]
    public static Second Shift([Input("first")] First f) => new(Value(f) + Offset);
#endif

#if REDUCTION_STREAM
    // The default (-p:Reduction=stream): the values come from the store shard by shard.
    [Step, Output("total")]
    public static Total Sum([Input("second")] IEnumerable<Second> all)
    {
        double sum = 0;
        long count = 0;
        foreach (Second s in all)
        {
            sum += s.Y;
            count++;
        }

        return new Total(sum, count);
    }
#elif !REDUCTION_NONE
    [Step, Output("total")]
    public static Total Sum([Input("second")] IReadOnlyList<Second> all)
    {
        double sum = 0;
        foreach (Second s in all)
        {
            sum += s.Y;
        }

        return new Total(sum, all.Count);
    }
#endif
}
