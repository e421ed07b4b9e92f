using System;
using System.Linq;
using Cairn.Cli;
using Cairn.Execution;

namespace Cairn.Slurm;

/// <summary>Why Slurm ended a task, from its state and its log, in the words of <c>sacct</c>.</summary>
internal static class TaskCause
{
    /// <summary>
    /// The cause to record for the points of a task that ended in <paramref name="state"/>, or null
    /// when its points simply stay pending (it completed, was cancelled or preempted, or still runs).
    /// Without accounting, a task killed for its memory shows as FAILED: its log tells.
    /// </summary>
    public static string? Of(string state, string log)
    {
        if (log.Contains("exceeded memory limit", StringComparison.OrdinalIgnoreCase) || log.Contains("oom-kill", StringComparison.OrdinalIgnoreCase) || state == FailureCauses.OutOfMemory)
        {
            return FailureCauses.OutOfMemory;
        }

        // Slurm's own words at the limit, or the worker's when the warning before it stopped the task.
        if (log.Contains("DUE TO TIME LIMIT", StringComparison.Ordinal) || log.Contains(Interruption.TimeLimitNear, StringComparison.Ordinal) || state is FailureCauses.Timeout or "DEADLINE")
        {
            return FailureCauses.Timeout;
        }

        return state switch
        {
            "NODE_FAIL" or "BOOT_FAIL" => "NODE_FAIL",
            "FAILED" => "FAILED",
            _ => null,
        };
    }

    /// <summary>The first line of the log in which Slurm or the host reports an error.</summary>
    public static string? ErrorLine(string log) =>
        log.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase));
}
