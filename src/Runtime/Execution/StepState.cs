namespace Cairn.Execution;

/// <summary>How many current points of one step are done, failed, blocked (an input failed) or pending.</summary>
internal readonly record struct StepState(long Done, long Failed, long Blocked, long Pending)
{
    /// <summary>This count with one more point in <paramref name="state"/>.</summary>
    public StepState Add(PointState state) => state switch
    {
        PointState.Done => this with { Done = Done + 1 },
        PointState.Failed => this with { Failed = Failed + 1 },
        PointState.Blocked => this with { Blocked = Blocked + 1 },
        _ => this with { Pending = Pending + 1 },
    };

    /// <summary>All points, whatever their state.</summary>
    public long Total => Done + Failed + Blocked + Pending;
}
