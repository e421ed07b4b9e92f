namespace Cairn.Execution;

/// <summary>Where one current point stands at one per-point step.</summary>
internal enum PointState
{
    /// <summary>A result of the current code is stored.</summary>
    Done,

    /// <summary>The step threw, and no such result is stored since.</summary>
    Failed,

    /// <summary>An input failed or is blocked.</summary>
    Blocked,

    /// <summary>Not computed yet.</summary>
    Pending,
}
