using System;
using System.Collections.Generic;
using System.Linq;

namespace Cairn.Reporting;

/// <summary>
/// A histogram of positive values on fixed logarithmic bins (<see cref="BinsPerDecade"/> to a
/// decade), filled one value at a time: its memory does not grow with the number of values, and
/// two of them fill the same bins, whatever their range. Durations from a microsecond to days and
/// memory from kilobytes to terabytes fit without a first pass to find the range.
/// </summary>
internal sealed class LogHistogram
{
    public const int BinsPerDecade = 5;

    private readonly SortedDictionary<int, long> _counts = [];

    /// <summary>How many values were added (zeros and negatives included, counted in the lowest bin).</summary>
    public long Count { get; private set; }

    public double Sum { get; private set; }

    public double Max { get; private set; }

    /// <summary>The mean of the values; 0 for none.</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;

    /// <summary>Adds one value; a value of 0 or less counts in the bin of <paramref name="floor"/>.</summary>
    public void Add(double value, double floor)
    {
        int bin = BinOf(Math.Max(value, floor));
        _counts[bin] = _counts.GetValueOrDefault(bin) + 1;
        Count++;
        Sum += value;
        Max = Count == 1 ? value : Math.Max(Max, value);
    }

    /// <summary>The bin that holds <paramref name="value"/>: bin b spans [10^(b/n), 10^((b+1)/n)).</summary>
    public static int BinOf(double value) => (int)Math.Floor(Math.Log10(value) * BinsPerDecade);

    /// <summary>The lower edge of bin <paramref name="bin"/>.</summary>
    public static double Edge(int bin) => Math.Pow(10, (double)bin / BinsPerDecade);

    /// <summary>Every bin from the lowest to the highest that holds a value, empty ones between included.</summary>
    public IEnumerable<(double Low, double High, long Count)> Bins()
    {
        if (_counts.Count == 0)
        {
            yield break;
        }

        for (int bin = _counts.Keys.First(); bin <= _counts.Keys.Last(); bin++)
        {
            yield return (Edge(bin), Edge(bin + 1), _counts.GetValueOrDefault(bin));
        }
    }

    /// <summary>
    /// The upper edge of the bin under which <paramref name="fraction"/> of the values lie: a bound,
    /// not an estimate, of that quantile (at most 58% above it with 5 bins a decade).
    /// </summary>
    public double Quantile(double fraction)
    {
        long wanted = (long)Math.Ceiling(fraction * Count);
        long seen = 0;
        foreach ((int bin, long count) in _counts)
        {
            seen += count;
            if (seen >= wanted)
            {
                return Math.Min(Edge(bin + 1), Max);
            }
        }

        return Max;
    }
}
