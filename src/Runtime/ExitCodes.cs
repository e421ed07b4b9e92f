namespace Cairn;

/// <summary>The exit codes of the generated host's CLI.</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;

    /// <summary>An unexpected error (a bug, an I/O failure).</summary>
    public const int Error = 1;

    /// <summary>Unknown verb or option, or a malformed value: the usage is printed.</summary>
    public const int Usage = 2;

    /// <summary>The run finished, but some steps failed for some points (see <c>status</c>).</summary>
    public const int StepsFailed = 3;

    /// <summary>The store cannot be used: it holds another campaign, or a committed file is unreadable.</summary>
    public const int Store = 4;

    /// <summary>What was asked about does not exist: no current result for that point (run first).</summary>
    public const int NotFound = 5;

    /// <summary>A system library the command needs is missing (HDF5 for <c>--format hdf5</c>); the message says how to install it.</summary>
    public const int MissingLibrary = 6;

    /// <summary>
    /// Slurm refused or cannot be reached: sbatch rejected the job (its message is shown), a Slurm
    /// command is missing, or an earlier submission of the store is still queued or running.
    /// </summary>
    public const int Scheduler = 7;

    /// <summary>The disk that holds the store is full (or its quota is used up): what was committed before is kept; free space and run again.</summary>
    public const int DiskFull = 8;

    /// <summary>
    /// Another process is writing the store (a <c>run</c>, a submission being planned, a finish
    /// job): the message names it; <c>--wait</c> waits for it instead.
    /// </summary>
    public const int Busy = 9;

    /// <summary>A program a step runs (<c>[Runs]</c>) is not found, or does not print its version as <c>[Runs]</c> says: the message names it and where it was looked for.</summary>
    public const int MissingProgram = 10;

    /// <summary>Stopped by SIGINT (Ctrl-C), as a shell reports a process its signal 2 ended: what was finished is committed.</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// Stopped by SIGUSR1, the warning a Slurm task asks for before its time limit
    /// (<c>#SBATCH --signal=B:USR1@60</c>), as a shell reports a process its signal 10 ended: what was
    /// finished is committed, and the task's unfinished points are recorded as TIMEOUT.
    /// </summary>
    public const int TimeLimitNear = 138;

    /// <summary>Stopped by SIGTERM (as Slurm ends a job), as a shell reports a process its signal 15 ended: what was finished is committed.</summary>
    public const int Terminated = 143;
}
