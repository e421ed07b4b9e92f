using System;
using System.Globalization;
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

    /// <summary>Three significant digits at most: 1.25, 12.5, 125.</summary>
    private static string Significant(double value) =>
        value.ToString(value < 10 ? "0.##" : value < 100 ? "0.#" : "0", CultureInfo.InvariantCulture);
}
