using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Reporting;

/// <summary>
/// Writes a <see cref="CampaignReport"/> as one self-contained HTML page: styles inline, plots as
/// inline SVG, no script and no link to anything outside it, so that it opens offline and can be
/// mailed or copied off a cluster. Each section and plot carries <c>id</c> and <c>data-</c>
/// attributes (the points a plot draws), for readers and tests of the page.
/// </summary>
internal sealed class HtmlReport
{
    private const int FailuresListed = 20;

    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 1.5em 2em; color: #222; max-width: 1250px; }
        h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
        .meta, .note, figcaption { color: #555; font-size: 0.9em; }
        table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
        th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #e4e4e4; text-align: right; }
        th:first-child, td:first-child, td.text { text-align: left; }
        .bar { width: 160px; height: 0.8em; background: #eee; display: inline-block; position: relative; vertical-align: middle; }
        .bar span { position: absolute; top: 0; bottom: 0; }
        .done { background: #2a8a3a; } .failed { background: #c0392b; } .blocked { background: #e67e22; }
        .figures { display: flex; flex-wrap: wrap; gap: 1em; }
        figure { margin: 0; }
        nav a { margin-right: 1em; }
        """;

    private readonly StringBuilder _html = new();
    private int _figures;

    private HtmlReport()
    {
    }

    /// <summary>The page; with <paramref name="refreshSeconds"/>, it asks the browser to reload it that often (while <c>report --watch</c> rewrites it).</summary>
    public static string Write(CampaignReport report, int? refreshSeconds = null)
    {
        var page = new HtmlReport();
        page.Page(report, refreshSeconds);
        return page._html.ToString();
    }

    private void Page(CampaignReport report, int? refreshSeconds)
    {
        CampaignGraph graph = report.Graph;
        Line("<!DOCTYPE html>");
        Line("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        if (refreshSeconds is int seconds)
        {
            Line($"<meta http-equiv=\"refresh\" content=\"{seconds}\">");
        }

        Line($"<meta name=\"generator\" content=\"Cairn {Text(ProvenanceBuffer.CairnVersion)}\">");
        Line($"<title>{Text(graph.Name)}: Cairn report</title>");
        Line($"<style>{Style}</style></head><body>");
        Line($"<h1>Campaign {Text(graph.Name)}</h1>");
        Line($"<p class=\"meta\">{Count(report.Progress.Points)} points · store {Text(report.Store)} ({report.Format}) · made {report.Made.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC"
            + (refreshSeconds is int s ? $" · rewritten every {s} s while the campaign runs" : "") + "</p>");
        Line("<nav><a href=\"#progress\">progress</a><a href=\"#failures\">failures</a><a href=\"#resources\">time and memory</a><a href=\"#throughput\">throughput</a><a href=\"#slurm\">Slurm</a><a href=\"#results\">results</a></nav>");
        Progress(report);
        Failures(report);
        Resources(report);
        Throughput(report);
        Slurm(report);
        Results(report);
        Line("</body></html>");
    }

    private void Progress(CampaignReport report)
    {
        CampaignGraph graph = report.Graph;
        Line("<section id=\"progress\"><h2>Progress</h2>");
        Line("<table id=\"progress-table\"><thead><tr><th>step</th><th>product</th><th>done</th><th>failed</th><th>blocked</th><th>pending</th><th>done %</th><th></th></tr></thead><tbody>");
        for (int step = 0; step < graph.Steps.Count; step++)
        {
            StepState state = report.Progress.Steps[step];
            double total = Math.Max(1, state.Total);
            string bar = $"<span class=\"bar\"><span class=\"done\" style=\"left:0;width:{Percent(state.Done, total)}%\"></span>"
                + $"<span class=\"failed\" style=\"left:{Percent(state.Done, total)}%;width:{Percent(state.Failed, total)}%\"></span>"
                + $"<span class=\"blocked\" style=\"left:{Percent(state.Done + state.Failed, total)}%;width:{Percent(state.Blocked, total)}%\"></span></span>";
            Line($"<tr data-step=\"{Text(graph.Steps[step].Name)}\" data-done=\"{state.Done}\" data-total=\"{state.Total}\"><td>{Text(graph.Steps[step].Name)}</td><td class=\"text\">{Text(graph.Steps[step].Product)}</td>"
                + $"<td>{Count(state.Done)}</td><td>{Count(state.Failed)}</td><td>{Count(state.Blocked)}</td><td>{Count(state.Pending)}</td><td>{Percent(state.Done, total)}</td><td>{bar}</td></tr>");
        }

        Line("</tbody></table>");
        foreach (string note in report.Progress.Notes)
        {
            Line($"<p class=\"note\">{Text(note)}</p>");
        }

        Line("</section>");
    }

    private void Failures(CampaignReport report)
    {
        IReadOnlyList<Failure> failures = report.Progress.Failures;
        Line("<section id=\"failures\"><h2>Failures</h2>");
        if (failures.Count == 0)
        {
            Line("<p>No open failure.</p></section>");
            return;
        }

        string[] causes = [.. failures.Select(f => f.ErrorType).Distinct().Order(StringComparer.Ordinal)];
        Line($"<p>{Count(failures.Count)} open failure(s): 'run' retries them, 'retry --slurm' on Slurm (more memory for OUT_OF_MEMORY, more time for TIMEOUT).</p>");
        Line("<table id=\"failure-causes\"><thead><tr><th>step</th>" + string.Concat(causes.Select(c => $"<th>{Text(c)}</th>")) + "</tr></thead><tbody>");
        foreach (var step in failures.GroupBy(f => f.StepIndex).OrderBy(g => g.Key))
        {
            Line($"<tr><td>{Text(report.Graph.Steps[step.Key].Name)}</td>" + string.Concat(causes.Select(c => $"<td>{Count(step.Count(f => f.ErrorType == c))}</td>")) + "</tr>");
        }

        Line("</tbody></table>");
        Line("<table><thead><tr><th>step</th><th>point</th><th>cause</th><th>message</th></tr></thead><tbody>");
        foreach (Failure f in failures.Take(FailuresListed))
        {
            Line($"<tr><td>{Text(f.Step)}</td><td class=\"text\">{f.PointName}</td><td class=\"text\">{Text(f.ErrorType)}</td><td class=\"text\">{Text(Cli.TextTable.Truncate(f.Message.ReplaceLineEndings(" "), 200))}</td></tr>");
        }

        Line("</tbody></table>");
        if (failures.Count > FailuresListed)
        {
            Line($"<p class=\"note\">... and {Count(failures.Count - FailuresListed)} more ('status --json' lists all).</p>");
        }

        Line("</section>");
    }

    private void Resources(CampaignReport report)
    {
        CampaignGraph graph = report.Graph;
        IReadOnlyList<StepTimings> steps = report.Timings.Steps;
        Line("<section id=\"resources\"><h2>Time and memory per step</h2>");
        Line("<p class=\"note\">From provenance: every recorded run of each step, every code version. The peak memory is that of the process that ran the step (a Slurm task's, for <code>--mem</code>); 95% of runs took at most the time shown (an upper bound, from the histogram's bins).</p>");
        Line("<table id=\"resources-table\"><thead><tr><th>step</th><th>runs</th><th>failed</th><th>mean</th><th>95% ≤</th><th>longest</th><th>peak memory</th></tr></thead><tbody>");
        for (int step = 0; step < graph.Steps.Count; step++)
        {
            StepTimings t = steps[step];
            bool any = t.Succeeded > 0;
            Line($"<tr><td>{Text(graph.Steps[step].Name)}</td><td>{Count(t.Succeeded)}</td><td>{Count(t.Failed)}</td>"
                + $"<td>{(any ? ReportFormat.Seconds(t.Seconds.Mean) : "")}</td><td>{(any ? ReportFormat.Seconds(t.Seconds.Quantile(0.95)) : "")}</td>"
                + $"<td>{(any ? ReportFormat.Seconds(t.Seconds.Max) : "")}</td><td>{(any ? ReportFormat.Bytes(t.PeakBytes.Max) : "")}</td></tr>");
        }

        Line("</tbody></table><div class=\"figures\">");
        for (int step = 0; step < graph.Steps.Count; step++)
        {
            StepTimings t = steps[step];
            if (t.Succeeded == 0)
            {
                continue;
            }

            string name = graph.Steps[step].Name;
            Figure(ReportCharts.Histogram($"{name}: duration", "duration of a run", t.Seconds, ReportFormat.Seconds), "histogram", $"data-step=\"{Text(name)}\" data-measure=\"duration\" data-runs=\"{t.Seconds.Count}\"", null);
            Figure(ReportCharts.Histogram($"{name}: peak memory", "peak memory of the process", t.PeakBytes, ReportFormat.Bytes), "histogram", $"data-step=\"{Text(name)}\" data-measure=\"memory\" data-runs=\"{t.PeakBytes.Count}\"", null);
        }

        Line("</div></section>");
    }

    private void Throughput(CampaignReport report)
    {
        Line("<section id=\"throughput\"><h2>Throughput</h2>");
        var steps = report.Graph.Steps.Select((s, i) => (s.Name, report.Timings.Steps[i].FinishedPerSecond)).ToList();
        if (steps.All(s => s.FinishedPerSecond.Count == 0))
        {
            Line("<p>No step has run yet.</p></section>");
            return;
        }

        Figure(ReportCharts.Throughput(steps), "throughput", "", "Results finished per second, by the end time of their runs as provenance recorded them.");
        Line("</section>");
    }

    private void Slurm(CampaignReport report)
    {
        Line("<section id=\"slurm\"><h2>Slurm submissions</h2>");
        if (report.Submissions.Count == 0)
        {
            Line("<p>None: this store was computed with 'run' only.</p></section>");
            return;
        }

        Line("<table id=\"submissions\"><thead><tr><th>submission</th><th>kind</th><th>made (UTC)</th><th>array</th><th>job</th><th>points</th><th>tasks</th><th>task states</th></tr></thead><tbody>");
        foreach (SubmissionTasks tasks in report.Submissions)
        {
            Scheduling.Submission s = tasks.Submission;
            for (int i = 0; i < s.Arrays.Count; i++)
            {
                Scheduling.JobArray array = s.Arrays[i];
                string states = tasks.Unreachable is not null ? "unknown"
                    : string.Join(", ", tasks.States[i].OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Value} {p.Key}"));
                Line($"<tr><td>{s.Number}</td><td class=\"text\">{Text(s.Kind)}</td><td class=\"text\">{s.Created.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}</td>"
                    + $"<td class=\"text\">{array.Index} ({Text(array.Cause)})</td><td class=\"text\">{Text(array.Job ?? "")}</td><td>{Count(array.Points)}</td><td>{Count(array.Tasks)}</td><td class=\"text\">{Text(states)}</td></tr>");
            }

            Line($"<tr><td>{s.Number}</td><td class=\"text\">{Text(s.Kind)}</td><td></td><td class=\"text\">finish job</td><td class=\"text\">{Text(s.FinishJob ?? "")}</td><td></td><td></td><td></td></tr>");
        }

        Line("</tbody></table>");
        foreach (string message in report.Submissions.Select(t => t.Unreachable).OfType<string>().Distinct())
        {
            Line($"<p class=\"note\">Task states unknown: {Text(message)}</p>");
        }

        Line("</section>");
    }

    private void Results(CampaignReport report)
    {
        Line("<section id=\"results\"><h2>Results</h2>");
        foreach (GlobalResult global in report.GlobalResults)
        {
            Line($"<table class=\"global\" data-product=\"{Text(global.Product)}\"><caption>{Text(global.Step)} → {Text(global.Product)}</caption><tbody>");
            foreach ((string name, string value) in global.Properties)
            {
                Line($"<tr><td>{Text(name)}</td><td>{Text(value)}</td></tr>");
            }

            Line("</tbody></table>");
        }

        if (report.Plots.Count == 0)
        {
            Line("<p>No per-point product has a numeric property to plot.</p>");
        }

        Line("<div class=\"figures\">");
        foreach (ResultPlot plot in report.Plots)
        {
            string caption = plot.Drawn == plot.Results ? $"{Count(plot.Results)} current results"
                : $"{Count(plot.Drawn)} of {Count(plot.Results)} current results"
                    + (plot.Stride > 1 ? $": one in {Count(plot.Stride)}, in point-id order, at most {Count(ResultPlots.MostDrawn)}" : "")
                    + " (a value that is not a finite number is not drawn)";
            Figure(plot.Results == 0 ? null : ReportCharts.Results(plot), "result",
                $"data-product=\"{Text(plot.Product)}\" data-property=\"{Text(plot.Property)}\" data-x=\"{Text(plot.XName)}\" data-points=\"{plot.Drawn}\" data-results=\"{plot.Results}\"",
                plot.Results == 0 ? $"{plot.Product}.{plot.Property}: no current result yet" : caption);
        }

        // The curves a reduction made: a series per result (per group, for a grouped one).
        foreach (ResultPlot curve in report.Curves)
        {
            string caption = curve.SeriesName is null ? $"{curve.Product}: {curve.Property} against {curve.XName}"
                : $"{curve.Product}: {curve.Property} against {curve.XName}, a curve per group of {curve.SeriesName} ({Count(curve.Results)})";
            Figure(curve.Drawn == 0 ? null : ReportCharts.Results(curve), "curve",
                $"data-product=\"{Text(curve.Product)}\" data-property=\"{Text(curve.Property)}\" data-x=\"{Text(curve.XName)}\" data-points=\"{curve.Drawn}\" data-results=\"{curve.Results}\"",
                curve.Drawn == 0 ? $"{curve.Product}.{curve.Property}: no current result yet" : caption);
        }

        Line("</div></section>");
    }

    /// <summary>
    /// A figure with an inline SVG document: its XML declaration is dropped, and its ids (ScottPlot's
    /// clip paths, the same in every plot) are made unique in the page.
    /// </summary>
    private void Figure(string? svg, string kind, string attributes, string? caption)
    {
        _figures++;
        Line($"<figure class=\"{kind}\" {attributes}>");
        if (svg is not null)
        {
            int start = svg.IndexOf("<svg", StringComparison.Ordinal);
            string prefix = $"f{_figures}-";
            Line(svg[start..].Replace("id=\"", $"id=\"{prefix}", StringComparison.Ordinal).Replace("url(#", $"url(#{prefix}", StringComparison.Ordinal).Replace("href=\"#", $"href=\"#{prefix}", StringComparison.Ordinal));
        }

        if (caption is not null)
        {
            Line($"<figcaption>{Text(caption)}</figcaption>");
        }

        Line("</figure>");
    }

    private void Line(string text) => _html.Append(text).Append('\n');

    private static string Text(string text) => WebUtility.HtmlEncode(text);

    private static string Count(long value) => Cli.TextTable.Number(value);

    private static string Percent(long part, double total) => (100 * part / total).ToString("0.#", CultureInfo.InvariantCulture);
}
