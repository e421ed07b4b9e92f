using System;
using System.Globalization;
using System.Linq;
using Cairn.Columns;
using Cairn.Cli;

namespace Cairn.Reporting;

/// <summary>Durations and sizes as the report writes them: short, in the unit that suits the value.</summary>
internal static class ReportFormat
{
    /// <summary>A duration in seconds: 80 µs, 12 ms, 350 ms, then as progress lines write spans (45s, 3m05s, 2h07m).</summary>
    public static string Seconds(double seconds) =>
        seconds < 1e-3 ? Significant(seconds * 1e6) + " µs"
        : seconds < 1 ? Significant(seconds * 1e3) + " ms"
        : ProgressLines.Duration(TimeSpan.FromSeconds(seconds));

    /// <summary>A size in bytes, in KiB, MiB or GiB: the units of Slurm's <c>--mem</c>.</summary>
    public static string Bytes(double bytes) =>
        bytes < 1 << 20 ? Significant(bytes / 1024) + " KiB"
        : bytes < 1 << 30 ? Significant(bytes / (1 << 20)) + " MiB"
        : Significant(bytes / (1 << 30)) + " GiB";

    /// <summary>The most values of an array a table cell lists; a longer one shows its first and last few, and its length.</summary>
    public const int MostListed = 8;

    /// <summary>
    /// A value as a table cell of the page shows it: as <c>results</c> prints it, but an array of
    /// more than <see cref="MostListed"/> values as its first and last three and its length
    /// (<c>[0 0.25 0.5 … 7.5 7.75 8] (33 values)</c>): its curve is plotted below.
    /// </summary>
    public static string Cell(object? value)
    {
        if (value is Array { Rank: 1 } array && array.Length > MostListed)
        {
            string Values(int from) => string.Join(" ", Enumerable.Range(from, 3).Select(i => Column.Format(array.GetValue(i))));
            return $"[{Values(0)} … {Values(array.Length - 3)}] ({array.Length} values)";
        }

        return ResultsCommand.Text(value);
    }

    /// <summary>Three significant digits at most: 1.25, 12.5, 125.</summary>
    private static string Significant(double value) =>
        value.ToString(value < 10 ? "0.##" : value < 100 ? "0.#" : "0", CultureInfo.InvariantCulture);
}
