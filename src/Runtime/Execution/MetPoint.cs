namespace Cairn.Execution;

/// <summary>A point as <see cref="PointTriage.Meet"/> found it: its mask in the point table before it was met, and its plan.</summary>
internal readonly record struct MetPoint(ulong Mask, PointPlan Plan)
{
    /// <summary>Met before in this pass: [Points] gave it twice.</summary>
    public bool Duplicate => (Mask & StoredState.SeenBit) != 0;

    /// <summary>The store does not hold the point yet.</summary>
    public bool IsNew => (Mask & StoredState.PointBit) == 0;

    /// <summary>Its results of the current code that the store holds.</summary>
    public StepSet Stored => StepSet.Of(Mask);

    /// <summary>Every step's current result is stored: nothing runs.</summary>
    public bool Done => Plan.Run.IsEmpty;

    /// <summary>A step that runs reads a stored result.</summary>
    public bool LoadsStoredInputs => !Plan.Load.IsEmpty;
}
