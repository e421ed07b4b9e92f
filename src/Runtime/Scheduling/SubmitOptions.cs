using System;

namespace Cairn.Scheduling;

/// <summary>What <c>submit</c> and <c>retry</c> were asked for, read once from the command line.</summary>
internal sealed record SubmitOptions
{
    /// <summary>The resources given; null where the site's default (or, for retry, the newest submission's) applies.</summary>
    public required TaskResources Resources { get; init; }

    /// <summary>A retry: the failed points, not the pending ones.</summary>
    public bool Retry { get; init; }

    /// <summary>Plan and print only (<c>--dry-run</c>).</summary>
    public bool DryRun { get; init; }

    public int MaxArray { get; init; }

    public int? Throttle { get; init; }

    public int? PointsPerTask { get; init; }

    public TimeSpan? TaskTime { get; init; }

    /// <summary>The time limit of a step that declares none, passed on to every task (<c>--step-timeout</c>).</summary>
    public TimeSpan? StepTimeout { get; init; }

    public double MemFactor { get; init; }

    public double TimeFactor { get; init; }

    /// <summary>The finish job's memory and time (<c>--finish-mem</c>, <c>--finish-time</c>); null to size them from provenance.</summary>
    public long? FinishMemoryMb { get; init; }

    public TimeSpan? FinishTime { get; init; }

    /// <summary>The finish job's cores (<c>--finish-cpus</c>), on which a grouped reduction runs its groups at once; null for the arrays' <c>--cpus-per-task</c>.</summary>
    public int? FinishCpus { get; init; }
}
