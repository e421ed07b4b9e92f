using System.Collections.Generic;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>The runs of a global step over the current results: one, or one per group of a grouped step.</summary>
/// <param name="Runs">The runs, in group key order; only groups with inputs have one.</param>
/// <param name="StoredRows">For each input, how many rows its product had when the rows were found.</param>
/// <param name="Groups">The groups of the current points, for a grouped step; otherwise null.</param>
/// <param name="Points">The stored points, when a run needs them (grouped, or reading the list of points); otherwise null.</param>
internal sealed record GlobalPlan(IReadOnlyList<GlobalInputs> Runs, int[] StoredRows, PointGroups? Groups, ProductBuffer? Points);
