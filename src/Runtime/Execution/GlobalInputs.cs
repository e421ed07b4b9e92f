namespace Cairn.Execution;

/// <summary>
/// The inputs of one run of a global step, and its key: the whole campaign's run, or one group's of
/// a grouped step.
/// </summary>
/// <param name="Key">The key the result has (or will have).</param>
/// <param name="Count">How many points its list inputs cover.</param>
/// <param name="Points">How many current points it is over (of the campaign, or of its group): more than <see cref="Count"/> only for a <c>[Step(Partial = true)]</c>.</param>
/// <param name="Rows">For each input, the rows to read in its product, in the order of the stored
/// shards as they were listed: for a list input one per point (ordered by point id), for a single
/// input the producer's current row, for all groups of a grouped product their rows in key order.</param>
/// <param name="PointRows">The rows of the points (in <see cref="GlobalPlan.Points"/>) aligned with
/// the list inputs, when the step reads the list of points or is grouped; otherwise null.</param>
/// <param name="Digests">For each input, what identifies it in the key: the digest of a list input's
/// keys (one node for the whole map in provenance), a single input's key, the digest of the keys of
/// all groups of a grouped product.</param>
/// <param name="Group">The group's index in <see cref="GlobalPlan.Groups"/>, or -1 for a step that is not grouped.</param>
internal sealed record GlobalInputs(PointId Key, int Count, long Points, int[][] Rows, int[]? PointRows, PointId[] Digests, int Group);
