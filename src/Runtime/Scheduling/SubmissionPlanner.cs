using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cairn.Cli;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Scheduling;

/// <summary>
/// What a submission runs, whatever the scheduler: the store's backlog, in groups of points alike
/// (the pending ones, or the failed ones by cause with the retry policy's resources), bundles
/// sized to the task time, and job arrays of at most --max-array tasks. The scheduler is asked
/// only how long before a time limit it warns a task.
/// </summary>
internal static class SubmissionPlanner
{
    /// <summary>Points a local pilot runs to measure a point's duration, per core.</summary>
    private const int PilotPointsPerCore = 4;

    /// <summary>
    /// The resources every task is given (for a retry, over the newest submission's largest), and
    /// the work per task that sizes bundles: <c>--task-time</c>, else what fits <c>--time</c>, else
    /// <see cref="TaskSizing.DefaultWork"/>; null with <c>--points-per-task</c>. Without
    /// <c>--time</c>, the time limit follows from the work.
    /// </summary>
    public static (TaskResources Given, TimeSpan? Work) Resources(SubmitOptions options, List<Submission> earlier, IBatchScheduler scheduler)
    {
        TaskResources given = options.Retry ? options.Resources.Over(Largest(earlier)) : options.Resources;
        TimeSpan? work = options.PointsPerTask is not null ? null
            : options.TaskTime ?? (given.Time is { } limit ? TaskSizing.WorkFor(limit, scheduler) : TaskSizing.DefaultWork);
        return (work is { } w && given.Time is null ? given with { Time = TaskSizing.LimitFor(w, scheduler) } : given, work);
    }

    /// <summary>The groups of points to run: for a retry, one per cause of failure; else the pending points.</summary>
    public static List<BundleGroup> Groups(CampaignStore store, Backlog backlog, TaskResources given, List<Submission> earlier, SubmitOptions options)
    {
        var groups = new List<BundleGroup>();
        if (options.Retry)
        {
            foreach ((string cause, List<BundlePoint> points) in backlog.Failed)
            {
                groups.Add(cause == FailureCauses.OutOfMemory
                    ? OutOfMemory(store, points, given, earlier, options)
                    : new BundleGroup(cause, points, Scaled(given, cause, options.TimeFactor)));
            }
        }
        else if (backlog.Pending.Count > 0)
        {
            groups.Add(new BundleGroup(Backlog.PendingCause, backlog.Pending, given));
        }

        return groups;
    }

    /// <summary>
    /// The job arrays of <paramref name="groups"/>: each group's points in tasks of its own points
    /// per task or <paramref name="pointsPerTask"/>, split at <paramref name="maxArray"/> tasks (a
    /// site refuses larger arrays), numbered in order.
    /// </summary>
    public static List<PlannedArray> Arrays(IReadOnlyList<BundleGroup> groups, int? pointsPerTask, int maxArray)
    {
        var arrays = new List<PlannedArray>();
        foreach (BundleGroup group in groups)
        {
            int perTask = group.PointsPerTask ?? pointsPerTask ?? throw new ArgumentException($"the group '{group.Cause}' has no points per task", nameof(pointsPerTask));
            int perArray = (int)Math.Min((long)maxArray * perTask, int.MaxValue);
            for (int start = 0; start < group.Points.Count; start += perArray)
            {
                List<BundlePoint> slice = group.Points.GetRange(start, Math.Min(perArray, group.Points.Count - start));
                int tasks = (slice.Count + perTask - 1) / perTask;
                arrays.Add(new PlannedArray(new JobArray(arrays.Count, group.Cause, slice.Count, tasks, perTask, group.Resources, null, group.PointsAtOnce), slice));
            }
        }

        return arrays;
    }

    /// <summary>The resources to retry from: the largest the newest submission gave any of its arrays.</summary>
    private static TaskResources Largest(List<Submission> earlier)
    {
        if (earlier.Count == 0)
        {
            return new TaskResources();
        }

        IReadOnlyList<JobArray> arrays = earlier[^1].Arrays;
        return arrays[0].Resources with
        {
            Time = arrays.Max(a => a.Resources.Time),
            MemoryMb = arrays.Max(a => a.Resources.MemoryMb),
        };
    }

    /// <summary>
    /// Points that ran out of memory: one at a time per task, in bundles no larger than those they
    /// failed in (see <see cref="MemoryRetry"/>), with --mem-factor times the memory, and at least a
    /// quarter more than provenance measured for them.
    /// </summary>
    private static BundleGroup OutOfMemory(CampaignStore store, List<BundlePoint> points, TaskResources given, List<Submission> earlier, SubmitOptions options)
    {
        long failed = given.MemoryMb ?? throw new UsageException("some points ran out of the site's default memory; give retry --mem with more than that");
        var resources = given with { MemoryMb = MemoryRetry.MemoryMb(failed, options.MemFactor, PeakOf(store, points)) };
        return new BundleGroup(FailureCauses.OutOfMemory, points, resources, options.PointsPerTask ?? MemoryRetry.PointsPerTask(earlier), PointsAtOnce: 1);
    }

    /// <summary>The largest peak working set that provenance records for a step run of any of <paramref name="points"/>; null when none has one.</summary>
    private static long? PeakOf(CampaignStore store, List<BundlePoint> points)
    {
        var wanted = points.Select(p => p.Id.ToGuid()).ToHashSet();
        var provenance = new ProvenanceBuffer();
        store.ReadAll(store.ProvenanceDirectory, [provenance.PointId, provenance.PeakWorkingSet], provenance.Schema);
        long? peak = null;
        for (int i = 0; i < provenance.PointId.Count; i++)
        {
            if (provenance.PointId[i] is Guid point && wanted.Contains(point) && provenance.PeakWorkingSet[i] > (peak ?? 0))
            {
                peak = provenance.PeakWorkingSet[i];
            }
        }

        return peak;
    }

    /// <summary>More time for points that timed out.</summary>
    private static TaskResources Scaled(TaskResources given, string cause, double timeFactor) => cause switch
    {
        FailureCauses.Timeout => given with
        {
            Time = given.Time is TimeSpan time
                ? TimeSpan.FromSeconds(Math.Ceiling(time.TotalSeconds * timeFactor))
                : throw new UsageException("some points ran out of the site's default time limit; give retry --time with more than that"),
        },
        _ => given,
    };

    /// <summary>
    /// Points per task for tasks of <paramref name="taskTime"/>: from the stored durations of the
    /// steps, measured first by a local pilot on a few points of the first group when the store has
    /// none (not in a dry run, which writes nothing, nor in a retry, whose points may have failed
    /// for their memory); the pilot's points leave <paramref name="groups"/>.
    /// </summary>
    public static int BundleSize<TPoint>(CampaignDefinition<TPoint> definition, CampaignStore store, MeasuredSteps measured,
        List<BundleGroup> groups, TimeSpan taskTime, int workers, SubmitOptions options, Action<string> warn, TextWriter stdout)
    {
        double? perPoint = measured.SecondsPerPoint(definition.Graph);
        if (perPoint is null)
        {
            List<BundlePoint> points = groups[0].Points;
            int pilot = Math.Min(points.Count, PilotPointsPerCore * Environment.ProcessorCount);
            if (options.DryRun || options.Retry)
            {
                if (options.Retry)
                {
                    throw new UsageException("no step durations are stored to size bundles by --task-time: give --points-per-task");
                }

                stdout.WriteLine($"no step durations are stored yet: submit runs {pilot} points here first to measure them.");
                return 1;
            }

            stdout.WriteLine($"no step durations are stored yet: running {pilot} points here to measure them ...");
            var pilotRun = new RunOptions
            {
                Store = store.Root,
                Bundle = points.GetRange(0, pilot).Select(p => p.Planned).ToList(),
                PerPointOnly = true,
                SkipCorrupt = store.SkipCorrupt,
                Warn = warn,
            };
            _ = new LocalExecutor<TPoint>(definition, pilotRun).Run();
            // Their results are kept: the pilot's points leave the plan.
            points.RemoveRange(0, pilot);
            groups.RemoveAll(g => g.Points.Count == 0);
            perPoint = MeasuredSteps.Read(store).SecondsPerPoint(definition.Graph) ?? 1;
        }

        return TaskSizing.PointsFor(taskTime, workers, perPoint.Value);
    }
}
