using System;

namespace Cairn.Execution;

/// <summary>One worker's slot of a <see cref="CrashJournal"/>: the point (16 bytes), the step, and whether it is inside the step.</summary>
internal sealed unsafe class JournalSlot
{
    internal const int StepOffset = 16;
    internal const int StateOffset = 20;
    internal const int Inside = 1;

    private readonly byte* _slot;

    internal JournalSlot(byte* slot) => _slot = slot;

    /// <summary>The worker enters step <paramref name="step"/> for <paramref name="point"/>.</summary>
    public void Enter(Guid point, int step)
    {
        *(Guid*)_slot = point;
        *(int*)(_slot + StepOffset) = step;
        *(int*)(_slot + StateOffset) = Inside;
    }

    /// <summary>The worker's step returned (or was given up on).</summary>
    public void Leave() => *(int*)(_slot + StateOffset) = 0;
}
