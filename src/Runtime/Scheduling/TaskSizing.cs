using System;

namespace Cairn.Scheduling;

/// <summary>
/// How much work a task is planned to hold against its time limit: half of the limit left after
/// the warning before it, so that a node twice as slow as the measured one still finishes.
/// </summary>
internal static class TaskSizing
{
    /// <summary>The work per task when neither <c>--task-time</c>, <c>--time</c> nor <c>--points-per-task</c> is given.</summary>
    public static readonly TimeSpan DefaultWork = TimeSpan.FromMinutes(30);

    /// <summary>The most points a task holds, however fast the steps.</summary>
    public const int MaxPointsPerTask = 10_000_000;

    /// <summary>The work to plan into a task whose time limit is <paramref name="limit"/>, which <paramref name="scheduler"/> warns ahead of.</summary>
    public static TimeSpan WorkFor(TimeSpan limit, IBatchScheduler scheduler) => (limit - scheduler.WarningBefore(limit)) / 2;

    /// <summary>The time limit to ask <paramref name="scheduler"/> for, for tasks planned to hold <paramref name="work"/>.</summary>
    public static TimeSpan LimitFor(TimeSpan work, IBatchScheduler scheduler)
    {
        TimeSpan limit = work * 2;
        return limit + scheduler.WarningBefore(limit);
    }

    /// <summary>Points per task for <paramref name="work"/> on <paramref name="workers"/> cores, at <paramref name="secondsPerPoint"/> of one core each.</summary>
    public static int PointsFor(TimeSpan work, int workers, double secondsPerPoint) =>
        (int)Math.Clamp(Math.Floor(work.TotalSeconds * workers / Math.Max(secondsPerPoint, 1e-6)), 1, MaxPointsPerTask);
}
