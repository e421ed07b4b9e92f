using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Slurm;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>
/// <c>submit --slurm</c> and <c>retry --slurm</c>: plan the points left to do into bundles, write
/// the sbatch scripts and bundles into the store, publish the host there, submit one job array per
/// resource class and a finish job after them, and record the submission once sbatch accepted all.
/// </summary>
internal static class SubmitCommand
{
    public static readonly string[] Valued =
        ["--store", "--format", "--partition", "--account", "--time", "--mem", "--cpus-per-task", "--points-per-task", "--task-time", "--max-array", "--throttle", "--mem-factor", "--time-factor", "--step-timeout", "--finish-mem", "--finish-time"];

    public static readonly string[] Flags = ["--slurm", "--dry-run", "--skip-corrupt", "--wait"];

    /// <summary>Tasks per array when <c>--max-array</c> is not given: Slurm's default MaxArraySize is 1001.</summary>
    private const int DefaultMaxArray = 1000;

    /// <summary>Points a local pilot runs to measure a point's duration, per core.</summary>
    private const int PilotPointsPerCore = 4;

    public static int Execute<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout, bool retry)
    {
        if (!line.Has("--slurm"))
        {
            throw new UsageException($"'{line.Verb}' needs --slurm (the only scheduler Cairn submits to); to compute on this machine, use 'run'");
        }

        if (line.Has("--points-per-task") && line.Has("--task-time"))
        {
            throw new UsageException("give --points-per-task or --task-time, not both");
        }

        if (retry && line.Has("--format"))
        {
            throw new UsageException("'retry' takes no --format: the store keeps its own");
        }

        // Every option is read, and checked, before the store is touched.
        var options = new SubmitOptions
        {
            Resources = SlurmResources.From(line),
            MaxArray = line.PositiveInt("--max-array", DefaultMaxArray),
            Throttle = line.Has("--throttle") ? line.PositiveInt("--throttle", 1) : null,
            PointsPerTask = line.Has("--points-per-task") ? line.PositiveInt("--points-per-task", 1) : null,
            TaskTime = line.Duration("--task-time"),
            StepTimeout = line.Duration("--step-timeout"),
            MemFactor = Factor(line, "--mem-factor"),
            TimeFactor = Factor(line, "--time-factor"),
            FinishMemoryMb = line.Has("--finish-mem") ? SlurmResources.ParseMemory(line.Get("--finish-mem", ""), "--finish-mem") : null,
            FinishTime = line.Has("--finish-time") ? SlurmResources.ParseTime("--finish-time", line.Get("--finish-time", "")) : null,
        };
        bool dryRun = line.Has("--dry-run");
        CampaignGraph graph = definition.Graph;
        Container container = !line.Has("--format") ? Container.Default
            : line.Choice("--format", "parquet", "hdf5") == "hdf5" ? Container.Hdf5 : Container.Parquet;
        Storage.Hdf5.Hdf5Library.EnsureLoadedFor(graph, container);

        string root = Path.GetFullPath(line.Store());
        // A dry run writes nothing: for a store not made yet it plans over an empty one elsewhere.
        string? scratch = dryRun && !File.Exists(Path.Combine(root, StoreLayout.Manifest)) ? Path.Combine(Path.GetTempPath(), $"cairn-dry-run-{Guid.NewGuid():N}") : null;
        try
        {
            // Planning reads the store's state once and writes the bundles: no local run may write beside it.
            using RunLease? held = dryRun ? null : RunLease.Take(root, line.Verb, line.Has("--wait"), line.Warn);
            CampaignStore store = CampaignStore.Open(scratch ?? root, graph.Name, create: true, container, line.Warn);
            return Submit(definition, line, options, stdout, retry, store, root);
        }
        finally
        {
            if (scratch is not null && Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private static int Submit<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, SubmitOptions options, TextWriter stdout, bool retry, CampaignStore store, string root)
    {
        bool dryRun = line.Has("--dry-run");
        CampaignGraph graph = definition.Graph;
        Storage.Hdf5.Hdf5Library.EnsureLoadedFor(graph, store.Container);
        store.SkipCorrupt = line.Has("--skip-corrupt");
        store.Warn = line.Warn;
        List<Submission> earlier = Submission.All(store);
        if (Submission.StillQueued(earlier) is string queued)
        {
            throw new SchedulerException($"{queued}, then submit again.");
        }

        int? throttle = options.Throttle;
        SlurmResources given = retry ? options.Resources.Over(Largest(earlier)) : options.Resources;
        // Bundles hold the work asked for (--task-time), or what fits the time limit asked for (--time).
        TimeSpan? taskTime = options.PointsPerTask is not null ? null
            : options.TaskTime ?? (given.Time is { } limit ? TaskSizing.WorkFor(limit) : TaskSizing.DefaultWork);
        if (taskTime is { } work && given.Time is null)
        {
            given = given with { Time = TaskSizing.LimitFor(work) };
        }

        if (!dryRun)
        {
            store.SaveCode(graph.Steps);
        }

        Backlog backlog = Backlog.Plan(definition, store, storeNewPoints: !dryRun);
        MeasuredSteps measured = MeasuredSteps.Read(store);
        var groups = new List<BundleGroup>();
        if (retry)
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

        if (groups.Count == 0)
        {
            stdout.WriteLine(retry
                ? $"nothing to retry: of {backlog.Points} points {backlog.Done} are done, {backlog.Pending.Count} pending ('submit --slurm' runs those), none failed."
                : $"nothing to submit: of {backlog.Points} points {backlog.Done} are done and {backlog.FailedPoints} failed ('retry --slurm' resubmits those).");
            return ExitCodes.Success;
        }

        int? sized = options.PointsPerTask
            ?? (groups.Any(g => g.PointsPerTask is null) ? BundleSize(definition, store, measured, groups, taskTime!.Value, given.Workers, dryRun || retry, line, stdout) : null);

        if (groups.Count == 0)
        {
            stdout.WriteLine("the pilot ran every point left; nothing to submit.");
            return ExitCodes.Success;
        }

        HostImage host = HostImage.OfThisProcess();
        int dryNumber = earlier.Select(s => s.Number).DefaultIfEmpty(0).Max() + 1;
        (int number, string directory) = dryRun
            ? (dryNumber, Path.Combine(root, Submission.Directory, dryNumber.ToString(CultureInfo.InvariantCulture)))
            : Submission.CreateNext(store);
        var arrays = new List<SlurmArray>();
        var bundles = new List<List<BundlePoint>>();
        foreach (BundleGroup group in groups)
        {
            int pointsPerTask = group.PointsPerTask ?? sized!.Value;
            // Split at --max-array tasks: a site refuses larger arrays.
            int perArray = (int)Math.Min((long)options.MaxArray * pointsPerTask, int.MaxValue);
            for (int start = 0; start < group.Points.Count; start += perArray)
            {
                List<BundlePoint> slice = group.Points.GetRange(start, Math.Min(perArray, group.Points.Count - start));
                int tasks = (slice.Count + pointsPerTask - 1) / pointsPerTask;
                arrays.Add(new SlurmArray(arrays.Count, group.Cause, slice.Count, tasks, pointsPerTask, group.Resources, null, group.PointsAtOnce));
                bundles.Add(slice);
            }
        }

        SlurmResources finishing = FinishSizing.Of(arrays, measured.Global(graph), options.FinishMemoryMb, options.FinishTime);
        if (dryRun)
        {
            WritePlan(stdout, number, backlog, arrays, throttle, dry: true);
            foreach (SlurmArray array in arrays)
            {
                stdout.WriteLine($"--- {Submission.ScriptPath(directory, array.Index)}");
                stdout.Write(BatchScripts.Array(graph.Name, root, number, directory, array, throttle, host, options.StepTimeout));
            }

            stdout.WriteLine($"--- {Submission.FinishScriptPath(directory)}");
            stdout.Write(BatchScripts.Finish(graph.Name, root, number, directory, arrays.Select(a => a with { Job = "<job>" }).ToList(), finishing, host));
            stdout.WriteLine("dry run: nothing was written or submitted.");
            return ExitCodes.Success;
        }

        var submitted = new List<string>();
        try
        {
            host.Publish(root);
            for (int a = 0; a < arrays.Count; a++)
            {
                BundleFile.Write(Submission.BundlePath(directory, a), bundles[a], arrays[a].PointsPerTask, backlog.InputShardsOf);
                string script = Submission.ScriptPath(directory, a);
                File.WriteAllText(script, BatchScripts.Array(graph.Name, root, number, directory, arrays[a], throttle, host, options.StepTimeout));
                string job = SlurmClient.Submit(script, $"array {a} of submission {number}");
                submitted.Add(job);
                arrays[a] = arrays[a] with { Job = job };
            }

            string finishScript = Submission.FinishScriptPath(directory);
            File.WriteAllText(finishScript, BatchScripts.Finish(graph.Name, root, number, directory, arrays, finishing, host));
            string finish = SlurmClient.Submit(finishScript, $"the finish job of submission {number}", "afterany:" + string.Join(':', submitted));
            submitted.Add(finish);
            var submission = new Submission(number, retry ? "retry" : "submit", DateTime.UtcNow, host.Hash, throttle, arrays, finish);
            submission.Save(directory);
            WritePlan(stdout, number, backlog, arrays, throttle, dry: false);
            stdout.WriteLine($"finish job {finish} runs the global steps and compacts after them; 'status --watch' follows the submission.");
            return ExitCodes.Success;
        }
        catch
        {
            // Nothing half-submitted stays: what Slurm took is cancelled, the directory goes.
            SlurmClient.Cancel(submitted);
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>What <c>submit</c> and <c>retry</c> were asked for, read once from the command line.</summary>
    private sealed record SubmitOptions
    {
        /// <summary>The resources given; null where the site's default (or, for retry, the newest submission's) applies.</summary>
        public required SlurmResources Resources { get; init; }

        public int MaxArray { get; init; }

        public int? Throttle { get; init; }

        public int? PointsPerTask { get; init; }

        public TimeSpan? TaskTime { get; init; }

        /// <summary>The time limit of a step that declares none, passed on to every task (<c>--step-timeout</c>).</summary>
        public TimeSpan? StepTimeout { get; init; }

        public double MemFactor { get; init; }

        public double TimeFactor { get; init; }

        /// <summary>The finish job's memory and time (<c>--finish-mem</c>, <c>--finish-time</c>); null to size them from provenance.</summary>
        public long? FinishMemoryMb { get; init; }

        public TimeSpan? FinishTime { get; init; }
    }


    private static double Factor(CommandLine line, string option)
    {
        string text = line.Get(option, "2");
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double factor) && factor >= 1 && factor <= 100
            ? factor
            : throw new UsageException($"option '{option}' takes a factor from 1 to 100, such as 1.5 or 2, not '{text}'");
    }

    /// <summary>The resources to retry from: the largest the newest submission gave any of its arrays.</summary>
    private static SlurmResources Largest(List<Submission> earlier)
    {
        if (earlier.Count == 0)
        {
            return new SlurmResources();
        }

        IReadOnlyList<SlurmArray> arrays = earlier[^1].Arrays;
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
    private static BundleGroup OutOfMemory(CampaignStore store, List<BundlePoint> points, SlurmResources given, List<Submission> earlier, SubmitOptions options)
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
    private static SlurmResources Scaled(SlurmResources given, string cause, double timeFactor) => cause switch
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
    /// steps, measured first by a local pilot on a few points when the store has none.
    /// </summary>
    private static int BundleSize<TPoint>(CampaignDefinition<TPoint> definition, CampaignStore store, MeasuredSteps measured,
        List<BundleGroup> groups, TimeSpan taskTime, int workers, bool noPilot, CommandLine line, TextWriter stdout)
    {
        double? perPoint = measured.SecondsPerPoint(definition.Graph);
        if (perPoint is null)
        {
            List<BundlePoint> points = groups[0].Points;
            int pilot = Math.Min(points.Count, PilotPointsPerCore * Environment.ProcessorCount);
            if (noPilot)
            {
                // A dry run writes nothing; a retry must not run its failed points (out of memory, say) here.
                if (line.Verb == "retry")
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
                Warn = line.Warn,
            };
            _ = new LocalExecutor<TPoint>(definition, pilotRun).Run();
            // Their results are kept: the pilot's points leave the plan.
            points.RemoveRange(0, pilot);
            groups.RemoveAll(g => g.Points.Count == 0);
            perPoint = MeasuredSteps.Read(store).SecondsPerPoint(definition.Graph) ?? 1;
        }

        return TaskSizing.PointsFor(taskTime, workers, perPoint.Value);
    }

    private static void WritePlan(TextWriter stdout, int number, Backlog backlog, List<SlurmArray> arrays, int? throttle, bool dry)
    {
        stdout.WriteLine($"submission {number}{(dry ? " (dry run)" : "")}: {backlog.Points} points, {backlog.Done} done, {backlog.Pending.Count} pending, {backlog.FailedPoints} failed");
        var table = new TextTable("array", "job", "points", "tasks", "points/task", "for", "resources");
        foreach (SlurmArray array in arrays)
        {
            string resources = array.Resources.Directives().Replace("#SBATCH ", "", StringComparison.Ordinal).ReplaceLineEndings(" ").Trim();
            if (array.PointsAtOnce is int n)
            {
                resources += n == 1 ? " (one point at a time)" : $" ({n} points at a time)";
            }

            if (throttle is int k)
            {
                resources += $" (at most {k} tasks at once)";
            }

            table.Add(array.Index.ToString(CultureInfo.InvariantCulture), array.Job ?? "-", TextTable.Number(array.Points), TextTable.Number(array.Tasks),
                TextTable.Number(array.PointsPerTask), array.Cause, resources.Length == 0 ? "(site defaults)" : resources);
        }

        table.WriteTo(stdout);
    }
}
