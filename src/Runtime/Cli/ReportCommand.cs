using System;
using System.IO;
using Cairn.Hosting;
using Cairn.Reporting;
using Cairn.Scheduling;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>
/// <c>report</c>: writes one self-contained HTML page about the store (<see cref="HtmlReport"/>),
/// by default <c>report.html</c> in the store, replaced in one rename. With <c>--watch</c>, writes
/// it again every <c>--interval</c> seconds while a run or a Slurm submission writes the store (the
/// page then asks the browser to reload it), and once more, without that, when none does.
/// </summary>
internal static class ReportCommand
{
    public const string FileName = "report.html";

    public static int Execute<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout)
    {
        CampaignStore store = StoreAccess.OpenExisting(definition, line);
        string path = line.Get("--out", Path.Combine(store.Root, FileName));
        int interval = line.PositiveInt("--interval", 30);
        string? x = line.Text("--x");
        string? series = line.Text("--series");
        CampaignReport report;
        while (true)
        {
            string? busy = line.Has("--watch") ? WhoWrites(store, line) : null;
            report = CampaignReport.Gather(definition, store, x, series);
            Write(path, HtmlReport.Write(report, busy is null ? null : interval));
            if (busy is null)
            {
                break;
            }

            line.Warn($"report: wrote {path} ({TextTable.Number(report.Progress.Points)} points); again in {interval} s, while {busy} writes the store");
            System.Threading.Thread.Sleep(TimeSpan.FromSeconds(interval));
        }

        if (line.Has("--json"))
        {
            JsonOutput.WriteLine(stdout, json =>
            {
                json.WriteStartObject();
                json.WriteString("report", Path.GetFullPath(path));
                json.WriteNumber("points", report.Progress.Points);
                json.WriteNumber("plots", report.Plots.Count);
                json.WriteEndObject();
            });
        }
        else
        {
            stdout.WriteLine($"wrote {path}: {TextTable.Number(report.Progress.Points)} points, {report.Plots.Count} result plot(s); open it in a browser");
        }

        return ExitCodes.Success;
    }

    /// <summary>Who writes the store now: a local run (its lease) or a submission with tasks in the scheduler's queue; null for no one.</summary>
    private static string? WhoWrites(CampaignStore store, CommandLine line)
    {
        if (RunLease.Holder(store.Root) is { } holder)
        {
            return holder;
        }

        try
        {
            return Submission.FirstQueued(Submission.All(store)) is ({ } queued, _) ? $"Slurm submission {queued.Number}" : null;
        }
        catch (SchedulerException e)
        {
            line.Warn($"warning: the store's Slurm jobs are not watched: {e.Message}");
            return null;
        }
    }

    private static void Write(string path, string html)
    {
        try
        {
            AtomicFile.Write(path, html);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && !DiskSpace.IsFull(e))
        {
            throw new CairnException($"cannot write the report to {path} ({e.Message}); give --out a file in a directory you can write in.", ExitCodes.Error);
        }
    }
}
