using Cairn.Cli;
using Cairn.Slurm;

namespace Cairn.Scheduling;

/// <summary>The schedulers Cairn submits to, by the option that names one.</summary>
internal static class BatchSchedulers
{
    public static IBatchScheduler Slurm { get; } = new SlurmScheduler();

    /// <summary>The scheduler that ran <paramref name="submission"/>.</summary>
    /// <exception cref="Storage.StoreException">It is none this version knows.</exception>
    public static IBatchScheduler Of(Submission submission) =>
        submission.Scheduler == Slurm.Name
            ? Slurm
            : throw new Storage.StoreException($"submission {submission.Number} went to the scheduler '{submission.Scheduler}', which this version of Cairn does not know; use the version that submitted it.");

    /// <summary>The scheduler of this name (the finish job's <c>--scheduler</c>).</summary>
    /// <exception cref="UsageException">No scheduler has it.</exception>
    public static IBatchScheduler Named(string name) =>
        name == Slurm.Name ? Slurm : throw new UsageException($"option '--scheduler' takes '{Slurm.Name}' (the only scheduler Cairn submits to), not '{name}'");

    /// <summary>The scheduler a command line names.</summary>
    /// <exception cref="UsageException">It names none.</exception>
    public static IBatchScheduler For(CommandLine line) =>
        line.Has("--" + Slurm.Name)
            ? Slurm
            : throw new UsageException($"'{line.Verb}' needs --slurm (the only scheduler Cairn submits to); to compute on this machine, use 'run'");
}
