using System;
using System.Collections.Generic;
using Cairn.Scheduling;

namespace Cairn.Slurm;

/// <summary>Slurm as Cairn's batch scheduler: sbatch scripts of job arrays, and its commands as a user calls them.</summary>
internal sealed class SlurmScheduler : IBatchScheduler
{
    public string Name => "slurm";

    public string Title => "Slurm";

    public TimeSpan WarningBefore(TimeSpan limit) => BatchScripts.LeadBefore(limit);

    public string ArrayScript(SubmissionScripts scripts, JobArray array) => BatchScripts.Array(scripts, array);

    public string FinishScript(SubmissionScripts scripts, IReadOnlyList<JobArray> arrays, TaskResources resources) => BatchScripts.Finish(scripts, arrays, resources);

    public string Submit(string script, string what, IReadOnlyList<string> after) =>
        SlurmClient.Submit(script, what, after.Count == 0 ? null : "afterany:" + string.Join(':', after));

    public void Cancel(IEnumerable<string> jobs) => SlurmClient.Cancel(jobs);

    public IReadOnlyList<QueuedTask> Queued(IEnumerable<string> jobs) => SlurmClient.Queued(jobs);

    public IReadOnlyList<TaskEnd> Ends(string job) => SlurmClient.Ends(job);

    public string? CauseOf(string state, string log) => TaskCause.Of(state, log);

    public string? ErrorLine(string log) => TaskCause.ErrorLine(log);
}
