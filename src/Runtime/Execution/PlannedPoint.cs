namespace Cairn.Execution;

/// <summary>
/// A point of a Slurm task as its submission planned it: its place in the [Points] enumeration, a
/// fingerprint of its id (to check that [Points] still gives that point there), and which of its
/// results the store held then, as <see cref="StoredState"/> bits. A task trusts the plan instead
/// of reading the store's state, whose size it must not pay for.
/// </summary>
internal readonly record struct PlannedPoint(long Index, uint Fingerprint, ulong Stored)
{
    /// <summary>The 32 bits of an id that a bundle keeps: ids are hashes, so any 32 of them tell points apart.</summary>
    public static uint FingerprintOf(PointId id) => (uint)id.Low;

    /// <summary>Whether <paramref name="id"/> is the point that was planned here.</summary>
    public bool Matches(PointId id) => FingerprintOf(id) == Fingerprint;
}
