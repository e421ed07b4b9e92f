using System.Globalization;
using System.IO;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Scheduling;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary><c>run</c>: computes every missing result and prints what was done.</summary>
internal static class RunCommand
{
    /// <param name="definition">The campaign.</param>
    /// <param name="line">The parsed command line.</param>
    /// <param name="stdout">Where the report goes.</param>
    /// <param name="supervised">The command's arguments when this process supervises the run in a child (see <see cref="Supervisor"/>); null to run here.</param>
    public static int Execute<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout, System.Collections.Generic.IReadOnlyList<string>? supervised = null)
    {
        SiteConfiguration.Use(line.Text("--site"), definition.Graph);
        if (supervised is not null)
        {
            int workers = line.Workers(System.Environment.ProcessorCount);
            using RunLease held = TakeLease(definition, line);
            return Supervisor.Run(definition, line, supervised, workers);
        }

        // A child of a supervised run works under its supervisor's lease.
        string? journal = Supervisor.JoinSupervisor();
        using var interruption = Interruption.Listen(line.Warn);
        System.Collections.Generic.HashSet<PointId>? only = line.Has("--only") ? [Only(line.Get("--only", ""))] : null;
        var options = new RunOptions
        {
            Store = line.Store(),
            Journal = journal,
            LeaveOut = Supervisor.LeftOutSoFar(),
            Only = only,
            PerPointOnly = only is not null,
            StepTimeout = line.Duration("--step-timeout"),
            Stop = interruption.Token,
            Workers = line.Workers(System.Environment.ProcessorCount),
            SkipCorrupt = line.Has("--skip-corrupt"),
            Warn = line.Warn,
            Progress = ProgressDisplays.For(line),
            Container = StoreAccess.FormatOf(line),
            RowsPerFile = line.PositiveLong("--rows", RunOptions.DefaultRowsPerFile),
        };
        RunReport report;
        using (RunLease? held = journal is null ? TakeLease(definition, line) : null)
        {
            report = new LocalExecutor<TPoint>(definition, options).Run();
        }

        report.Crashed = Supervisor.CrashedSoFar;
        if (line.Has("--json"))
        {
            WriteJson(report, stdout);
        }
        else
        {
            WriteText(report, stdout);
        }

        if (report.DiskFull is { } full)
        {
            throw full;
        }

        if (report.Stopped)
        {
            line.Warn($"stopped: {TextTable.Number(report.Computed)} results of {TextTable.Number(report.Points)} points were committed with their provenance; 'run' again computes the rest.");
            return interruption.ExitCode;
        }

        return report.AnyFailed ? ExitCodes.StepsFailed : ExitCodes.Success;
    }

    /// <summary>
    /// Takes the store's lease (waiting for another writer with <c>--wait</c>), and refuses to run
    /// beside a Slurm submission of the store whose tasks are queued or running: both would compute
    /// the same points.
    /// </summary>
    private static RunLease TakeLease<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line)
    {
        string root = line.Store();
        RunLease lease = RunLease.Take(root, "run", line.Has("--wait"), line.Warn);
        try
        {
            if (File.Exists(Path.Combine(root, StoreLayout.Manifest))
                && Submission.All(CampaignStore.Open(root, definition.Graph.Name, create: false)) is { Count: > 0 } submissions)
            {
                string? queued;
                try
                {
                    queued = Submission.StillQueued(submissions);
                }
                catch (SchedulerException e)
                {
                    line.Warn($"warning: whether the store's Slurm tasks still run is not known: {e.Message}");
                    queued = null;
                }

                if (queued is not null)
                {
                    throw new SchedulerException($"{queued}, then run again.");
                }
            }

            return lease;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private static PointId Only(string text) =>
        PointId.TryParse(text, out PointId id) ? id : throw new UsageException($"option '--only' takes a point id (32 hex digits), not '{text}'");

    private static void WriteJson(RunReport report, TextWriter stdout)
    {
        JsonOutput.WriteLine(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("steps");
            foreach ((string step, StepCounts counts) in report.Steps)
            {
                json.WriteStartObject(step);
                json.WriteNumber("computed", counts.Computed);
                json.WriteNumber("cached", counts.Cached);
                json.WriteNumber("failed", counts.Failed);
                json.WriteNumber("skipped", counts.Skipped);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteNumber("points", report.Points);
            json.WriteNumber("new_points", report.NewPoints);
            json.WriteNumber("duplicate_points", report.DuplicatePoints);
            json.WriteNumber("files_written", report.FilesWritten);
            json.WriteNumber("files_removed", report.FilesRemoved);
            json.WriteNumber("seconds", System.Math.Round(report.Seconds, 3));
            json.WriteBoolean("stopped", report.Stopped);
            json.WriteBoolean("disk_full", report.DiskFull is not null);
            json.WriteNumber("crashed", report.Crashed);
            json.WriteNumber("left_out", report.LeftOut);
            json.WriteEndObject();
        });
    }

    private static void WriteText(RunReport report, TextWriter stdout)
    {
        var table = new TextTable("step", "computed", "cached", "failed", "skipped");
        foreach ((string step, StepCounts counts) in report.Steps)
        {
            table.Add(step, TextTable.Number(counts.Computed), TextTable.Number(counts.Cached), TextTable.Number(counts.Failed), TextTable.Number(counts.Skipped));
        }

        table.WriteTo(stdout);
        stdout.WriteLine($"{TextTable.Number(report.Points)} points ({TextTable.Number(report.NewPoints)} new), {report.FilesWritten} files written, {report.FilesRemoved} removed, {report.Seconds.ToString("F2", CultureInfo.InvariantCulture)} s");
        if (report.LeftOut > 0)
        {
            string now = report.Crashed > 0 ? $", {TextTable.Number(report.Crashed)} of them in this run" : "";
            stdout.WriteLine($"{TextTable.Number(report.LeftOut)} point(s) were running when the process ended (CRASHED{now}) and were left out; 'run --isolate' runs each alone to find the one that ends it.");
        }

        if (report.AnyFailed)
        {
            stdout.WriteLine("some steps failed: 'status' lists them; 'run' again retries them.");
        }
    }
}
