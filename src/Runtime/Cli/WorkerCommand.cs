using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Scheduling;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>
/// What the batch scripts of a submission run: <c>worker</c>, one array task on its bundle (all
/// per-point steps fused per point, shards committed as in a local run), and <c>finish</c>, after
/// the arrays: records why dead tasks died, runs the global steps and compacts.
/// </summary>
internal static class WorkerCommand
{
    /// <param name="definition">The campaign.</param>
    /// <param name="line">The parsed command line.</param>
    /// <param name="stdout">Where the task's line goes (its log).</param>
    /// <param name="supervised">The command's arguments when this process supervises the task's work in a child, as <c>run</c> does (see <see cref="Supervisor"/>): a point that ends the process costs that point, not the task.</param>
    public static int Worker<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout, IReadOnlyList<string>? supervised = null)
    {
        if (supervised is not null)
        {
            return Supervisor.Run(definition, line, supervised, line.Workers(1));
        }

        if (line.Has(Supervisor.ChildEndedOption))
        {
            // Handed over by the batch shell, with supervision switched off: the worker's end is the task's.
            return line.PositiveInt(Supervisor.ChildEndedOption, 1);
        }

        string? journal = Supervisor.JoinSupervisor();
        string store = line.Store();
        int submission = line.PositiveInt("--submission", 1);
        int array = line.Index("--array");
        int task = line.Index("--task");
        TimeSpan? stepTimeout = line.Duration("--step-timeout");
        CampaignStore opened = CampaignStore.Open(store, definition.Graph.Name, create: false);
        string bundlePath = Submission.BundlePath(Submission.DirectoryOf(opened, submission), array);
        BundleTask bundle = BundleFile.ReadTask(bundlePath, task);
        // Slurm warns a task with SIGUSR1 before its time limit (BatchScripts asks it to), ends it at
        // the limit with SIGTERM, and with SIGKILL after KillWait (30 s by default).
        using var interruption = Interruption.Listen(line.Warn);
        var options = new RunOptions
        {
            Store = store,
            Workers = line.Workers(1),
            PointsAtOnce = line.Has("--points-at-once") ? line.PositiveInt("--points-at-once", 1) : null,
            Bundle = bundle.Points,
            PlannedAt = File.GetLastWriteTimeUtc(bundlePath),
            InputShards = bundle.InputShards,
            ShardTag = Submission.TaskTag(submission, array, task),
            Journal = journal,
            LeaveOut = Supervisor.LeftOutSoFar(),
            PerPointOnly = true,
            Warn = line.Warn,
            Progress = ProgressDisplays.For(line),
            Stop = interruption.Token,
            StepTimeout = stepTimeout,
        };
        RunReport report = new LocalExecutor<TPoint>(definition, options).Run();
        string steps = string.Join(", ", report.Steps.Select(s => $"{s.Step} {s.Counts.Computed} computed, {s.Counts.Cached} cached, {s.Counts.Failed} failed"));
        stdout.WriteLine($"task {task} of array {array}, submission {submission}: {bundle.Points.Length} points; {steps}; {report.FilesWritten} files in {report.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s");
        // Failed steps are recorded per point in the store; the task itself did its work, unless stopped.
        return report.Stopped ? interruption.ExitCode : ExitCodes.Success;
    }

    public static int Finish<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout)
    {
        string root = line.Store();
        int submission = line.PositiveInt("--submission", 1);
        CampaignGraph graph = definition.Graph;
        CampaignStore store = CampaignStore.Open(root, graph.Name, create: false);
        // A local run started beside the submission writes first; the finish job then waits for it.
        using RunLease held = RunLease.Take(root, "finish", wait: true, line.Warn);
        string directory = Submission.DirectoryOf(store, submission);
        // The scheduler's own script names it: the record of the submission may not be written yet.
        IBatchScheduler scheduler = BatchSchedulers.Named(line.Get("--scheduler", BatchSchedulers.Slurm.Name));
        string[] arrays = line.Get("--jobs", "").Split(',', StringSplitOptions.RemoveEmptyEntries);

        // The points of tasks that died without finishing, with what the scheduler says of their end.
        var dead = new List<(PlannedPoint Point, string Cause, string Message)>();
        for (int a = 0; a < arrays.Length; a++)
        {
            string job = arrays[a];
            foreach (TaskEnd end in scheduler.Ends(job))
            {
                string log = Submission.LogPath(directory, job, end.Task);
                string text = File.Exists(log) ? File.ReadAllText(log) : "";
                if (scheduler.CauseOf(end.State, text) is not string cause)
                {
                    continue;
                }

                string detail = scheduler.ErrorLine(text) is string error ? $": {error}" : "";
                string message = $"{scheduler.Title} task {end.Task} of job {job} ended {end.State} (exit {end.ExitCode}){detail}; its log: {TaskLogs.Header(job, end.Task)} in {TaskLogs.FoldedPath(directory)}";
                stdout.WriteLine(message);
                foreach (PlannedPoint point in BundleFile.ReadTask(Submission.BundlePath(directory, a), end.Task).Points)
                {
                    dead.Add((point, cause, message));
                }
            }
        }

        int recorded = RecordDead(definition, store, dead);
        stdout.WriteLine($"submission {submission}: {recorded} failure(s) recorded for points of dead tasks");
        // The causes are read: one file of the store holds the tasks' logs from now on.
        int folded = TaskLogs.Fold(directory);
        stdout.WriteLine($"submission {submission}: {folded} task log(s) folded into {TaskLogs.FoldedPath(directory)}");

        // The global steps over what the store now holds, and compaction, as at the end of 'run'.
        // On the job's cores (--workers from SLURM_CPUS_PER_TASK), on which a grouped reduction runs its groups at once.
        int workers = line.Workers(1);
        stdout.WriteLine($"submission {submission}: the global steps run on {workers} worker(s)");
        var options = new RunOptions { Store = root, Bundle = [], Workers = workers, Warn = line.Warn };
        RunReport report = new LocalExecutor<TPoint>(definition, options).Run();
        foreach ((string step, StepCounts counts) in report.Steps.Skip(graph.PerPointCount))
        {
            stdout.WriteLine($"{step}: {counts.Computed} computed, {counts.Cached} cached, {counts.Failed} failed");
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// A failure per dead point and per step that has no current result while its inputs have one
    /// (the steps after it are then blocked), unless the point already has an open failure.
    /// </summary>
    private static int RecordDead<TPoint>(CampaignDefinition<TPoint> definition, CampaignStore store, List<(PlannedPoint Point, string Cause, string Message)> dead)
    {
        if (dead.Count == 0)
        {
            return 0;
        }

        CampaignGraph graph = definition.Graph;
        using PointMasks masks = StoredState.Load(store, definition, Environment.ProcessorCount);
        var failing = OpenFailures.OfPoints(store, graph, masks).Select(f => f.Point).ToHashSet();
        var failures = new FailureBuffer();
        // A bundle keeps the places of its points: [Points] tells their ids.
        dead.Sort((a, b) => a.Point.Index.CompareTo(b.Point.Index));
        var ids = PlannedPoints.Walk(definition, dead.Select(d => d.Point).ToList()).Select(p => p.Id).ToList();
        for (int d = 0; d < dead.Count; d++)
        {
            (_, string cause, string message) = dead[d];
            PointId id = ids[d];
            StepSet stored = StepSet.Of(masks.Get(id));
            if (failing.Contains(id.ToGuid()))
            {
                continue;
            }

            for (int step = 0; step < graph.PerPointCount; step++)
            {
                if (!stored.Contains(step) && graph.InputSteps[step].All(stored.Contains))
                {
                    failures.Add(graph.Steps[step].Name, id.ToGuid(), cause, message);
                }
            }
        }

        store.CommitTable(store.FailuresDirectory, "failures", failures.All);
        return failures.Count;
    }
}
