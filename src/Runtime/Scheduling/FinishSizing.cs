using System;
using System.Collections.Generic;
using System.Linq;

namespace Cairn.Scheduling;

/// <summary>
/// The resources of a submission's finish job, which runs the global steps over the whole store and
/// compacts: those given (<c>--finish-mem</c>, <c>--finish-time</c>), else what provenance measured
/// of the global steps with room to spare, else the largest of the arrays'.
/// </summary>
internal static class FinishSizing
{
    /// <summary>The least time asked for: reading the store's state and compacting take their own time beside the steps.</summary>
    public static readonly TimeSpan LeastTime = TimeSpan.FromMinutes(15);

    /// <param name="arrays">The submission's arrays (the partition and account come from the first).</param>
    /// <param name="measured">The global steps' measured duration and peak, if any.</param>
    /// <param name="memoryMb">--finish-mem, if given.</param>
    /// <param name="time">--finish-time, if given.</param>
    public static TaskResources Of(IReadOnlyList<JobArray> arrays, (TimeSpan Duration, long PeakBytes)? measured, long? memoryMb, TimeSpan? time)
    {
        TaskResources first = arrays[0].Resources;
        return new TaskResources
        {
            Partition = first.Partition,
            Account = first.Account,
            Time = time
                ?? (measured is { } m ? Max(m.Duration * 2, LeastTime) : arrays.Max(a => a.Resources.Time)),
            MemoryMb = memoryMb
                ?? (measured is { PeakBytes: > 0 } p ? (long)Math.Ceiling(p.PeakBytes * 1.5 / (1 << 20)) : arrays.Max(a => a.Resources.MemoryMb)),
        };
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
