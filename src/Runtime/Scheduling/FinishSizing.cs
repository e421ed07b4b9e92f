using System;
using System.Collections.Generic;
using System.Linq;

namespace Cairn.Scheduling;

/// <summary>
/// The resources of a submission's finish job, which runs the global steps over the whole store and
/// compacts: those given (<c>--finish-mem</c>, <c>--finish-time</c>, <c>--finish-cpus</c>), else what provenance measured
/// of the global steps, grown in proportion to the points since (their memory and time grow with
/// the store) and with room to spare, else the largest of the arrays'.
/// </summary>
internal static class FinishSizing
{
    /// <summary>The least time asked for: reading the store's state and compacting take their own time beside the steps.</summary>
    public static readonly TimeSpan LeastTime = TimeSpan.FromMinutes(15);

    /// <param name="arrays">The submission's arrays (the partition and account come from the first).</param>
    /// <param name="measured">The global steps' measured duration and peak, and how many points the campaign had when they were measured; null when not all were.</param>
    /// <param name="points">How many points the campaign has now.</param>
    /// <param name="memoryMb">--finish-mem, if given.</param>
    /// <param name="time">--finish-time, if given.</param>
    /// <param name="cpus">--finish-cpus, if given; else the arrays' most cores per task (the groups of a grouped reduction run at once on them).</param>
    public static TaskResources Of(IReadOnlyList<JobArray> arrays, (TimeSpan Duration, long PeakBytes, long Points)? measured, long points, long? memoryMb, TimeSpan? time, int? cpus = null)
    {
        TaskResources first = arrays[0].Resources;
        (TimeSpan Duration, long PeakBytes, long Points)? known = measured is { Points: > 0, PeakBytes: > 0 } m ? m : null;
        double growth = known is { } k ? Math.Max(1, (double)points / k.Points) : 1;
        return new TaskResources
        {
            Partition = first.Partition,
            Account = first.Account,
            CpusPerTask = cpus ?? arrays.Max(a => a.Resources.CpusPerTask),
            Time = time
                ?? (known is { } d ? Max(WholeMinutes(d.Duration * (2 * growth)), LeastTime) : arrays.Max(a => a.Resources.Time)),
            MemoryMb = memoryMb
                ?? (known is { } p ? (long)Math.Ceiling(p.PeakBytes * 1.5 * growth / (1 << 20)) : arrays.Max(a => a.Resources.MemoryMb)),
        };
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Up to the next whole minute, the unit Slurm schedules time in.</summary>
    private static TimeSpan WholeMinutes(TimeSpan time) => TimeSpan.FromMinutes(Math.Ceiling(time.TotalMinutes));
}
