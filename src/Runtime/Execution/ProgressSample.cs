using System;
using System.Collections.Generic;

namespace Cairn.Execution;

/// <summary>
/// How far a run's per-point steps are, at one moment: what a progress display shows.
/// </summary>
/// <param name="Elapsed">Time since the per-point steps began.</param>
/// <param name="Points">The points the run goes through ([Points] counted, or the task's bundle); null while not yet counted.</param>
/// <param name="Steps">Each per-point step's counts so far, in the campaign's order.</param>
internal sealed record ProgressSample(TimeSpan Elapsed, long? Points, IReadOnlyList<StepProgress> Steps);
