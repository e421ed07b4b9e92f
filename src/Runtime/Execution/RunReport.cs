using System.Collections.Generic;
using System.Linq;

namespace Cairn.Execution;

/// <summary>What a run did, per step, as <c>run --json</c> prints it.</summary>
internal sealed class RunReport
{
    public required IReadOnlyList<(string Step, StepCounts Counts)> Steps { get; init; }

    /// <summary>Shards committed: results, points, bookkeeping, merged files and split ones.</summary>
    public int FilesWritten { get; set; }

    /// <summary>Shards deleted once their rows were committed elsewhere (merged, or split between results and history).</summary>
    public int FilesRemoved { get; set; }

    public double Seconds { get; set; }

    public long Points { get; set; }

    public long NewPoints { get; set; }

    public long DuplicatePoints { get; set; }

    /// <summary>Points whose steps ran on stored inputs (after an edit to a later step).</summary>
    public long OnStoredInputs { get; set; }

    /// <summary>Of <see cref="OnStoredInputs"/>, those whose inputs were read beside their points shard (<see cref="ShardAlignment"/>), not looked up.</summary>
    public long InputsAlongside { get; set; }

    /// <summary>Points left out because an earlier run crashed while one of their steps ran (<c>run --isolate</c> runs them).</summary>
    public long LeftOut { get; set; }

    /// <summary>Points recorded as crashed during this run by its supervisor (<see cref="FailureCauses.Crashed"/>).</summary>
    public long Crashed { get; set; }

    /// <summary>The disk filled up: the run ended there, with what it had committed kept; null otherwise.</summary>
    public CairnException? DiskFull { get; set; }

    /// <summary>The run was stopped early (<see cref="RunOptions.Stop"/>): what it finished is committed, the rest is pending.</summary>
    public bool Stopped { get; set; }

    /// <summary>Results committed by the run, of all per-point steps.</summary>
    public long Computed => Steps.Sum(s => s.Counts.Computed);

    public bool AnyFailed => Steps.Any(s => s.Counts.Failed > 0) || Crashed > 0 || LeftOut > 0;
}
