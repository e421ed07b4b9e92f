using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Execution;

namespace Cairn.Scheduling;

/// <summary>
/// How points that ran out of memory are retried. A task's memory is shared by the points it runs
/// at once, so more memory alone does not help a task that runs two big points side by side: the
/// retried points run one at a time, in bundles no larger than those they failed in, and in one
/// point per task once they ran out of memory in a retry already.
/// </summary>
internal static class MemoryRetry
{
    /// <summary>Points per task for points that ran out of memory under the newest of <paramref name="earlier"/>; null when no submission ran them.</summary>
    public static int? PointsPerTask(IReadOnlyList<Submission> earlier)
    {
        if (earlier.Count == 0)
        {
            return null;
        }

        IReadOnlyList<JobArray> arrays = earlier[^1].Arrays;
        // A bundle that ran out of memory in a retry already: each point alone.
        return arrays.Any(a => a.Cause == FailureCauses.OutOfMemory) ? 1 : arrays.Min(a => a.PointsPerTask);
    }

    /// <summary>
    /// The memory of a task that runs them one at a time: <paramref name="factor"/> times what the
    /// task that failed had, and at least a quarter more than the largest peak that provenance
    /// measured for any of them (<paramref name="peakBytes"/>, null when none has one).
    /// </summary>
    public static long MemoryMb(long failedMb, double factor, long? peakBytes)
    {
        long scaled = (long)Math.Ceiling(failedMb * factor);
        long measured = peakBytes is long peak ? (long)Math.Ceiling(peak * 1.25 / (1 << 20)) : 0;
        return Math.Max(scaled, measured);
    }
}
