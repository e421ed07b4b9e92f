using System.Collections.Generic;

namespace Cairn.Scheduling;

/// <summary>A job array as planned, with its points in task order.</summary>
internal sealed record PlannedArray(JobArray Array, List<BundlePoint> Points);
