using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using Cairn.Hosting;

namespace Cairn.Execution;

/// <summary>
/// A set of per-point steps by their index (0 to <see cref="CampaignGraph.MaxPerPointSteps"/> - 1):
/// the results a point has stored, the steps its run runs, the results it loads. One bit a step,
/// so that the hot path of a point costs a few register operations; the point table keeps the same
/// bits beside its own flags (<see cref="StoredState"/>), read with <see cref="Of(ulong)"/>.
/// </summary>
internal readonly record struct StepSet
{
    private const ulong StepBits = (1UL << CampaignGraph.MaxPerPointSteps) - 1;

    private StepSet(ulong bits) => Bits = bits;

    /// <summary>The set as the point table stores it: bit i for step i.</summary>
    public ulong Bits { get; }

    public static StepSet Empty => default;

    /// <summary>The steps of a point-table mask, without its flags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static StepSet Of(ulong mask) => new(mask & StepBits);

    /// <summary>The set of one step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static StepSet Only(int step) => new(1UL << step);

    /// <summary>Steps 0 to <paramref name="count"/> - 1: every per-point step of a campaign with that many.</summary>
    public static StepSet FirstSteps(int count) => new((1UL << count) - 1);

    public bool IsEmpty => Bits == 0;

    public int Count => BitOperations.PopCount(Bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(int step) => (Bits & (1UL << step)) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public StepSet With(int step) => new(Bits | (1UL << step));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public StepSet Except(StepSet other) => new(Bits & ~other.Bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Overlaps(StepSet other) => (Bits & other.Bits) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static StepSet operator |(StepSet a, StepSet b) => new(a.Bits | b.Bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static StepSet operator &(StepSet a, StepSet b) => new(a.Bits & b.Bits);

    public override string ToString() => "{" + string.Join(", ", Enumerable.Range(0, CampaignGraph.MaxPerPointSteps).Where(Contains)) + "}";
}
