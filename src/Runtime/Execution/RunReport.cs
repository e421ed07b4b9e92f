using System.Collections.Generic;
using System.Linq;

namespace Cairn.Execution;

/// <summary>What a run did, per step, as <c>run --json</c> prints it.</summary>
internal sealed class RunReport
{
    public required IReadOnlyList<(string Step, StepCounts Counts)> Steps { get; init; }

    public int Files { get; set; }

    public double Seconds { get; set; }

    public long Points { get; set; }

    public long NewPoints { get; set; }

    public long DuplicatePoints { get; set; }

    public bool AnyFailed => Steps.Any(s => s.Counts.Failed > 0);
}
