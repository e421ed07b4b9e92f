using System;
using System.Collections.Generic;
using System.Globalization;
using Cairn;

namespace Trivial;

public record Point(long Index);

public record First(double X);

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
    public static First Half(Point p) => new(p.Index * 0.5);

#if REDUCTION_NONE
    // No reduction (-p:Reduction=none): the baseline a reduction's memory is measured against.
    [Step(Final = true), Output("second")]
    public static Second Shift([Input("first")] First f) => new(f.X + 1);
#else
    [Step, Output("second")]
    public static Second Shift([Input("first")] First f) => new(f.X + 1);
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
