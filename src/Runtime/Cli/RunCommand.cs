using System.Globalization;
using System.IO;
using Cairn.Execution;
using Cairn.Hosting;

namespace Cairn.Cli;

/// <summary><c>run</c>: computes every missing result and prints what was done.</summary>
internal static class RunCommand
{
    public static int Execute<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout)
    {
        using var interruption = Interruption.Listen(line.Warn);
        var options = new RunOptions
        {
            Store = line.Store(),
            StepTimeout = line.Duration("--step-timeout"),
            Stop = interruption.Token,
            Workers = line.Workers(System.Environment.ProcessorCount),
            SkipCorrupt = line.Has("--skip-corrupt"),
            Warn = line.Warn,
            Container = !line.Has("--format") ? Container.Default
                : line.Choice("--format", "parquet", "hdf5") == "hdf5" ? Container.Hdf5 : Container.Parquet,
        };
        RunReport report = new LocalExecutor<TPoint>(definition, options).Run();
        if (line.Has("--json"))
        {
            WriteJson(report, stdout);
        }
        else
        {
            WriteText(report, stdout);
        }

        if (report.Stopped)
        {
            line.Warn($"stopped: {TextTable.Number(report.Computed)} results of {TextTable.Number(report.Points)} points were committed with their provenance; 'run' again computes the rest.");
            return interruption.ExitCode;
        }

        return report.AnyFailed ? ExitCodes.StepsFailed : ExitCodes.Success;
    }

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
        if (report.AnyFailed)
        {
            stdout.WriteLine("some steps failed: 'status' lists them; 'run' again retries them.");
        }
    }
}
