using System;
using System.Collections.Generic;

namespace Cairn.Scheduling;

/// <summary>
/// What Cairn needs of a batch scheduler to run a submission: scripts for its job arrays and its
/// finish job, submitting and cancelling them, asking what is queued and how tasks ended. What to
/// run (the plan, the bundles, the retry policy) is decided without it; Slurm (folder Slurm/) is
/// the one implementation, and another scheduler (PBS, Flux, HTCondor) is another folder.
/// </summary>
internal interface IBatchScheduler
{
    /// <summary>The scheduler's name, as its option reads (<c>--slurm</c>) and a submission records it.</summary>
    string Name { get; }

    /// <summary>The scheduler's name in a sentence (<c>Slurm</c>).</summary>
    string Title { get; }

    /// <summary>How long before a task's time limit the scheduler warns it, so that it commits what it finished; zero for no warning.</summary>
    TimeSpan WarningBefore(TimeSpan limit);

    /// <summary>The script of an array: each task runs the host's <c>worker</c> verb on its part of the array's bundle.</summary>
    string ArrayScript(SubmissionScripts scripts, JobArray array);

    /// <summary>The finish job's script: after the arrays, the host's <c>finish</c> verb with the arrays' job ids.</summary>
    string FinishScript(SubmissionScripts scripts, IReadOnlyList<JobArray> arrays, TaskResources resources);

    /// <summary>Submits a script, to start after every job of <paramref name="after"/> ended (however), and returns its job id.</summary>
    /// <exception cref="SchedulerException">The scheduler is missing or refused the job: its message, and what to change.</exception>
    string Submit(string script, string what, IReadOnlyList<string> after);

    /// <summary>Cancels jobs (of a submission that failed half-way).</summary>
    void Cancel(IEnumerable<string> jobs);

    /// <summary>The tasks of <paramref name="jobs"/> still queued or running, with their state and why they wait.</summary>
    /// <exception cref="SchedulerException">The scheduler cannot be asked.</exception>
    IReadOnlyList<QueuedTask> Queued(IEnumerable<string> jobs);

    /// <summary>How the tasks of an array job that are no longer queued ended.</summary>
    IReadOnlyList<TaskEnd> Ends(string job);

    /// <summary>The failure cause to record for the unfinished points of a task that ended in <paramref name="state"/> with this log; null when they stay pending.</summary>
    string? CauseOf(string state, string log);

    /// <summary>The line of a task's log that tells why it ended, if any.</summary>
    string? ErrorLine(string log);
}
