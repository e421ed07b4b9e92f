using System;
using System.Collections.Generic;

namespace Cairn.Reporting;

/// <summary>
/// What provenance recorded of one step's runs: how many succeeded and failed, the durations (in
/// seconds) and peak memory (in bytes, of the process that ran them) of those that succeeded, and
/// how many of them ended in each second.
/// </summary>
internal sealed class StepTimings
{
    private readonly SortedDictionary<long, long> _finishedPerSecond = [];

    public long Succeeded { get; set; }

    public long Failed { get; set; }

    public LogHistogram Seconds { get; } = new();

    public LogHistogram PeakBytes { get; } = new();

    /// <summary>The successful runs that ended in each UTC second that had any, by <see cref="DateTime.Ticks"/> / <see cref="TimeSpan.TicksPerSecond"/>.</summary>
    public IReadOnlyDictionary<long, long> FinishedPerSecond => _finishedPerSecond;

    /// <summary>Counts a successful run that ended at <paramref name="end"/>.</summary>
    public void Finished(DateTime end)
    {
        long second = end.Ticks / TimeSpan.TicksPerSecond;
        _finishedPerSecond[second] = _finishedPerSecond.GetValueOrDefault(second) + 1;
    }
}
