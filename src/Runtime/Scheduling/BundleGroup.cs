using System.Collections.Generic;

namespace Cairn.Scheduling;

/// <summary>
/// Points that a submission runs alike: those pending, or those that failed with one cause, with
/// the resources of their tasks, their points per task when it is not the submission's, and the
/// most points a task runs at once (null: one per CPU, and helpers beside slow steps).
/// </summary>
internal sealed record BundleGroup(string Cause, List<BundlePoint> Points, TaskResources Resources, int? PointsPerTask = null, int? PointsAtOnce = null);
