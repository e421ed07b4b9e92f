using Cairn.Execution;

namespace Cairn.Scheduling;

/// <summary>A point of a submission's plan: its place in the [Points] enumeration, its id, and its <see cref="StoredState"/> bits then.</summary>
internal readonly record struct BundlePoint(long Index, PointId Id, ulong Stored)
{
    /// <summary>What a task is given of it.</summary>
    public PlannedPoint Planned => new(Index, PlannedPoint.FingerprintOf(Id), Stored & ~StoredState.SeenBit);
}
