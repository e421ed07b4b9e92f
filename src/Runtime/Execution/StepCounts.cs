namespace Cairn.Execution;

/// <summary>What happened to one step in a run.</summary>
internal sealed class StepCounts
{
    /// <summary>Invocations that returned a value.</summary>
    public long Computed { get; set; }

    /// <summary>Results already stored, so the step was not invoked.</summary>
    public long Cached { get; set; }

    /// <summary>Invocations that threw.</summary>
    public long Failed { get; set; }

    /// <summary>Points for which an input failed, so the step could not run.</summary>
    public long Skipped { get; set; }

    public void Add(StepCounts other)
    {
        Computed += other.Computed;
        Cached += other.Cached;
        Failed += other.Failed;
        Skipped += other.Skipped;
    }
}
