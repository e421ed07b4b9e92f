namespace Cairn.Execution;

/// <summary>One step's counts at a <see cref="ProgressSample"/>.</summary>
internal readonly record struct StepProgress(string Step, long Computed, long Cached, long Failed, long Skipped)
{
    /// <summary>Points this step is done with, whatever the outcome.</summary>
    public long Handled => Computed + Cached + Failed + Skipped;
}
