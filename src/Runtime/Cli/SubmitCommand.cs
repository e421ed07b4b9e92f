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
/// <c>submit --slurm</c> and <c>retry --slurm</c>: plan the points left to do into bundles, write
/// the sbatch scripts and bundles into the store, publish the host there, submit one job array per
/// resource class and a finish job after them, and record the submission once sbatch accepted all.
/// </summary>
internal static class SubmitCommand
{
    /// <summary>Tasks per array when <c>--max-array</c> is not given: Slurm's default MaxArraySize is 1001.</summary>
    private const int DefaultMaxArray = 1000;

    public static int Execute<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout, bool retry)
    {
        IBatchScheduler scheduler = BatchSchedulers.For(line);
        // The plan tells what is current by the programs' hashes: they must be found here, as in the tasks.
        ProgramIdentity.EnsureFound(definition.Graph);
        SiteConfiguration site = SiteConfiguration.Use(line.Text("--site"), definition.Graph);
        if (line.Has("--site"))
        {
            // sbatch passes the variable on to the tasks.
            System.Environment.SetEnvironmentVariable(SiteConfiguration.Variable, site.Source);
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
        TaskResources given = TaskResources.From(line);
        if (given.CpusPerTask is int cpus && definition.Graph.PerPointStepWiderThan(cpus) is { } wide)
        {
            line.Warn($"warning: step '{wide.Name}' needs {wide.Resources.AllCores} cores ([Resources]) and --cpus-per-task gives {cpus}: it runs on those");
        }

        var options = new SubmitOptions
        {
            // What the command line does not say, the steps' [Resources] do.
            Resources = given.Over(TaskResources.ForSteps(definition.Graph, given.CpusPerTask)),
            Retry = retry,
            DryRun = line.Has("--dry-run"),
            MaxArray = line.PositiveInt("--max-array", DefaultMaxArray),
            Throttle = line.Has("--throttle") ? line.PositiveInt("--throttle", 1) : null,
            PointsPerTask = line.Has("--points-per-task") ? line.PositiveInt("--points-per-task", 1) : null,
            TaskTime = line.Duration("--task-time"),
            StepTimeout = line.Duration("--step-timeout"),
            MemFactor = line.Value<double>("--mem-factor") ?? DefaultFactor,
            TimeFactor = line.Value<double>("--time-factor") ?? DefaultFactor,
            FinishMemoryMb = line.Value<long>("--finish-mem"),
            FinishTime = line.Duration("--finish-time"),
            FinishCpus = line.Has("--finish-cpus") ? line.PositiveInt("--finish-cpus", 1) : null,
        };
        bool dryRun = options.DryRun;
        CampaignGraph graph = definition.Graph;
        Container container = StoreAccess.FormatOf(line);
        Storage.Hdf5.Hdf5Library.EnsureLoadedFor(graph, container);

        string root = Path.GetFullPath(line.Store());
        // A dry run writes nothing: for a store not made yet it plans over an empty one elsewhere.
        string? scratch = dryRun && !File.Exists(Path.Combine(root, StoreLayout.Manifest)) ? Path.Combine(Path.GetTempPath(), $"cairn-dry-run-{Guid.NewGuid():N}") : null;
        try
        {
            // Planning reads the store's state once and writes the bundles: no local run may write beside it.
            using RunLease? held = dryRun ? null : RunLease.Take(root, line.Verb, line.Has("--wait"), line.Warn);
            CampaignStore store = CampaignStore.Open(scratch ?? root, graph.Name, create: true, container, line.Warn);
            return Submit(definition, line, options, scheduler, stdout, store, root);
        }
        finally
        {
            if (scratch is not null && Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private static int Submit<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, SubmitOptions options, IBatchScheduler scheduler, TextWriter stdout, CampaignStore store, string root)
    {
        CampaignGraph graph = definition.Graph;
        Storage.Hdf5.Hdf5Library.EnsureLoadedFor(graph, store.Container);
        store.SkipCorrupt = line.Has("--skip-corrupt");
        store.Warn = line.Warn;
        List<Submission> earlier = Submission.All(store);
        if (Submission.StillQueued(earlier) is string queued)
        {
            throw new SchedulerException($"{queued}, then submit again.");
        }

        (TaskResources given, TimeSpan? work) = SubmissionPlanner.Resources(options, earlier, scheduler);
        if (!options.DryRun)
        {
            store.SaveCode(graph.Steps);
        }

        Backlog backlog = Backlog.Plan(definition, store, storeNewPoints: !options.DryRun);
        MeasuredSteps measured = MeasuredSteps.Read(store);
        List<BundleGroup> groups = SubmissionPlanner.Groups(store, backlog, given, earlier, options);
        // With --json, stdout carries one document: the pilot's lines go to stderr.
        bool json = line.Has("--json");
        if (groups.Count == 0)
        {
            return Nothing(stdout, json, backlog, options.Retry
                ? $"nothing to retry: of {backlog.Points} points {backlog.Done} are done, {backlog.Pending.Count} pending ('submit --slurm' runs those), none failed."
                : $"nothing to submit: of {backlog.Points} points {backlog.Done} are done and {backlog.FailedPoints} failed ('retry --slurm' resubmits those).");
        }

        int? sized = options.PointsPerTask
            ?? (groups.Any(g => g.PointsPerTask is null)
                ? SubmissionPlanner.BundleSize(definition, store, measured, groups, work!.Value, given.Workers, options, line.Warn, json ? line.Errors : stdout)
                : null);
        if (groups.Count == 0)
        {
            return Nothing(stdout, json, backlog, "the pilot ran every point left; nothing to submit.");
        }

        List<PlannedArray> planned = SubmissionPlanner.Arrays(groups, sized, options.MaxArray);
        List<JobArray> arrays = planned.Select(p => p.Array).ToList();
        TaskResources finishing = FinishSizing.Of(arrays, measured.Global(graph) is { } global ? (global.Duration, global.PeakBytes, MeasuredSteps.GlobalPoints(store, definition)) : null,
            backlog.Points, options.FinishMemoryMb, options.FinishTime, options.FinishCpus);
        HostImage host = HostImage.OfThisProcess();
        int dryNumber = earlier.Select(s => s.Number).DefaultIfEmpty(0).Max() + 1;
        (int number, string directory) = options.DryRun
            ? (dryNumber, Path.Combine(root, Submission.Directory, dryNumber.ToString(CultureInfo.InvariantCulture)))
            : Submission.CreateNext(store);
        var scripts = new SubmissionScripts(graph.Name, root, number, directory, host, options.Throttle, options.StepTimeout);
        string kind = options.Retry ? "retry" : "submit";
        if (options.DryRun)
        {
            var texts = arrays.Select(a => (Path: Submission.ScriptPath(directory, a.Index), Text: scheduler.ArrayScript(scripts, a))).ToList();
            texts.Add((Submission.FinishScriptPath(directory), scheduler.FinishScript(scripts, arrays.Select(a => a with { Job = "<job>" }).ToList(), finishing)));
            if (json)
            {
                var plan = new Submission(number, kind, DateTime.UtcNow, host.Hash, options.Throttle, arrays, null, scheduler.Name);
                WriteJson(stdout, backlog, plan, dry: true, texts);
                return ExitCodes.Success;
            }

            WritePlan(stdout, number, backlog, arrays, options.Throttle, dry: true);
            foreach ((string path, string text) in texts)
            {
                stdout.WriteLine($"--- {path}");
                stdout.Write(text);
            }

            stdout.WriteLine("dry run: nothing was written or submitted.");
            return ExitCodes.Success;
        }

        var submitted = new List<string>();
        try
        {
            host.Publish(root);
            for (int a = 0; a < arrays.Count; a++)
            {
                BundleFile.Write(Submission.BundlePath(directory, a), planned[a].Points, arrays[a].PointsPerTask, backlog.InputShardsOf);
                string script = Submission.ScriptPath(directory, a);
                File.WriteAllText(script, scheduler.ArrayScript(scripts, arrays[a]));
                string job = scheduler.Submit(script, $"array {a} of submission {number}", []);
                submitted.Add(job);
                arrays[a] = arrays[a] with { Job = job };
            }

            string finishScript = Submission.FinishScriptPath(directory);
            File.WriteAllText(finishScript, scheduler.FinishScript(scripts, arrays, finishing));
            string finish = scheduler.Submit(finishScript, $"the finish job of submission {number}", submitted);
            submitted.Add(finish);
            var submission = new Submission(number, kind, DateTime.UtcNow, host.Hash, options.Throttle, arrays, finish, scheduler.Name);
            submission.Save(directory);
            if (json)
            {
                WriteJson(stdout, backlog, submission, dry: false, []);
                return ExitCodes.Success;
            }

            WritePlan(stdout, number, backlog, arrays, options.Throttle, dry: false);
            stdout.WriteLine($"finish job {finish} runs the global steps and compacts after them; 'status --watch' follows the submission.");
            return ExitCodes.Success;
        }
        catch
        {
            // Nothing half-submitted stays: what the scheduler took is cancelled, the directory goes.
            scheduler.Cancel(submitted);
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>What <c>retry</c> multiplies the memory of OUT_OF_MEMORY points and the time of TIMEOUT points by, when not told.</summary>
    private const double DefaultFactor = 2;

    /// <summary>Nothing is submitted: <paramref name="message"/> as a line, or with <c>--json</c> in the document.</summary>
    private static int Nothing(TextWriter stdout, bool json, Backlog backlog, string message)
    {
        if (json)
        {
            WriteJson(stdout, backlog, null, dry: false, [], message);
        }
        else
        {
            stdout.WriteLine(message);
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// What <c>submit --json</c> and <c>retry --json</c> print: the store's points, then the
    /// submission as its record says (null when nothing was submitted), and for a dry run the scripts.
    /// </summary>
    private static void WriteJson(TextWriter stdout, Backlog backlog, Submission? submission, bool dry, IReadOnlyList<(string Path, string Text)> scripts, string? message = null) =>
        JsonOutput.WriteLine(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteBoolean("dry_run", dry);
            json.WriteNumber("points", backlog.Points);
            json.WriteNumber("done", backlog.Done);
            json.WriteNumber("pending", backlog.Pending.Count);
            json.WriteNumber("failed", backlog.FailedPoints);
            if (message is not null)
            {
                json.WriteString("message", message);
            }

            json.WritePropertyName("submission");
            if (submission is null)
            {
                json.WriteNullValue();
            }
            else
            {
                submission.WriteTo(json);
            }

            if (scripts.Count > 0)
            {
                json.WriteStartObject("scripts");
                foreach ((string path, string text) in scripts)
                {
                    json.WriteString(path, text);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        });

    private static void WritePlan(TextWriter stdout, int number, Backlog backlog, IReadOnlyList<JobArray> arrays, int? throttle, bool dry)
    {
        stdout.WriteLine($"submission {number}{(dry ? " (dry run)" : "")}: {backlog.Points} points, {backlog.Done} done, {backlog.Pending.Count} pending, {backlog.FailedPoints} failed");
        var table = new TextTable("array", "job", "points", "tasks", "points/task", "for", "resources");
        foreach (JobArray array in arrays)
        {
            string resources = string.Join(' ', array.Resources.Options());
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
