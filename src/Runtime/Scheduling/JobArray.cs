namespace Cairn.Scheduling;

/// <summary>
/// One job array of a submission: which points it runs (those of <see cref="Cause"/>: "pending"
/// or the cause of their failure), in how many tasks, with which resources, and its Slurm job id;
/// <see cref="PointsAtOnce"/> caps the points a task runs at once (null: one per CPU, and helpers
/// beside slow steps).
/// </summary>
internal sealed record JobArray(int Index, string Cause, long Points, int Tasks, int PointsPerTask, TaskResources Resources, string? Job, int? PointsAtOnce = null);
