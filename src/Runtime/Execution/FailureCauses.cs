namespace Cairn.Execution;

/// <summary>
/// The causes a failure records when it is no exception of a step (whose cause is the exception's
/// type): named as Slurm names the end of a job, so that one word means one thing everywhere.
/// </summary>
internal static class FailureCauses
{
    /// <summary>A step ran past its time limit (<c>[Step(TimeoutSeconds = ...)]</c>, <c>--step-timeout</c>), or a Slurm task past its time.</summary>
    public const string Timeout = "TIMEOUT";

    /// <summary>What a <see cref="Timeout"/> failure says: the step and its limit.</summary>
    public static string TimeoutMessage(string step, System.TimeSpan limit) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"step '{step}' ran longer than its time limit of {limit.TotalSeconds:0.###} s and was given up on");

    /// <summary>The point holds a string that is not valid UTF-16, which storage would silently change: none of its steps runs.</summary>
    public const string InvalidText = "INVALID_TEXT";

    /// <summary>
    /// The process ended (a crash, an abort, a SIGKILL, an exit) while a step ran for the point; a
    /// kill by the out-of-memory killer is <see cref="OutOfMemory"/> instead. Plain runs leave such
    /// points out; <c>run --isolate</c> runs each alone.
    /// </summary>
    public const string Crashed = "CRASHED";

    /// <summary>
    /// The point ran out of memory: Slurm killed its task for it, or the out-of-memory killer ended
    /// the process while a step ran for the point (its memory cgroup's <c>oom_kill</c> count rose).
    /// <c>retry --slurm --mem-factor</c> gives such points more memory.
    /// </summary>
    public const string OutOfMemory = "OUT_OF_MEMORY";
}
