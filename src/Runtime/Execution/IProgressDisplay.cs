namespace Cairn.Execution;

/// <summary>Where a run shows its progress (<see cref="RunOptions.Progress"/>): the CLI's terminal lines or plain log lines.</summary>
internal interface IProgressDisplay
{
    /// <summary>How often the run samples its counts and calls <see cref="Show"/>.</summary>
    System.TimeSpan Interval { get; }

    /// <summary>Shows the counts of now; called from one thread at a time.</summary>
    void Show(ProgressSample sample);

    /// <summary>
    /// What the run does after its per-point steps (a global step, the compaction), which has no
    /// count to show: a live display shows it until the next phase or <see cref="End"/>; a log gets
    /// nothing (its plain lines are about counts).
    /// </summary>
    void Phase(string what);

    /// <summary>Takes away what a live display drew (the run's summary follows); called at the end of the per-point steps and of the run.</summary>
    void End();
}
