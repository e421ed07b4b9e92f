namespace Cairn.Execution;

/// <summary>Where a run shows its progress (<see cref="RunOptions.Progress"/>): the CLI's terminal lines or plain log lines.</summary>
internal interface IProgressDisplay
{
    /// <summary>How often the run samples its counts and calls <see cref="Show"/>.</summary>
    System.TimeSpan Interval { get; }

    /// <summary>Shows the counts of now; called from one thread at a time.</summary>
    void Show(ProgressSample sample);

    /// <summary>The per-point steps are over: takes away what a live display drew (the run's summary follows).</summary>
    void End();
}
