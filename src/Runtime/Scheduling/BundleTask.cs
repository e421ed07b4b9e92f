using System.Collections.Generic;
using Cairn.Execution;

namespace Cairn.Scheduling;

/// <summary>What one task of an array is given: its points as planned, and the shards that hold their stored inputs.</summary>
internal sealed record BundleTask(PlannedPoint[] Points, IReadOnlyList<string> InputShards);
