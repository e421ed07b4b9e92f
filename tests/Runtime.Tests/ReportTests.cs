using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Cairn.Cli;
using Cairn.Reporting;
using Cairn.Storage;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>The HTML report of a store: what it shows against what status and results say, its plots, bad options, --watch.</summary>
[Collection("campaign")]
public sealed class ReportTests : IDisposable
{
    private readonly TempStore _store = new();

    public ReportTests() => TestSteps.PointCount = 100;

    public void Dispose() => _store.Dispose();

    private string Page => Path.Combine(_store.Root, ReportCommand.FileName);

    /// <summary>The figures of one kind, each with its attributes and its inner HTML.</summary>
    private static List<(Dictionary<string, string> Data, string Inner)> Figures(string html, string kind) =>
        [.. Regex.Matches(html, $"<figure class=\"{kind}\"(?<attributes>[^>]*)>(?<inner>.*?)</figure>", RegexOptions.Singleline)
            .Select(m => (Regex.Matches(m.Groups["attributes"].Value, "data-(?<name>[a-z-]+)=\"(?<value>[^\"]*)\"")
                .ToDictionary(a => a.Groups["name"].Value, a => a.Groups["value"].Value), m.Groups["inner"].Value))];

    [Fact]
    public void The_page_shows_what_status_says_and_plots_every_current_result_of_each_numeric_property()
    {
        Assert.Equal(3, Cli.Run("run", "--store", _store.Root, "--quiet").Exit);

        var (exit, output, error) = Cli.Run("report", "--store", _store.Root, "--x", "Index", "--series", "Phase");
        Assert.True(exit == 0, error);
        Assert.StartsWith($"wrote {Page}: 100 points, 2 result plot(s)", output, StringComparison.Ordinal);
        string html = File.ReadAllText(Page);

        // Self-contained: nothing to fetch, nothing to run.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);

        // The progress table: status's counts, step by step.
        using JsonDocument status = JsonDocument.Parse(Cli.Run("status", "--store", _store.Root, "--json").Out);
        var rows = Regex.Matches(html, "<tr data-step=\"(?<step>[^\"]+)\" data-done=\"(?<done>\\d+)\" data-total=\"(?<total>\\d+)\"")
            .ToDictionary(m => m.Groups["step"].Value, m => (Done: long.Parse(m.Groups["done"].Value), Total: long.Parse(m.Groups["total"].Value)));
        Assert.Equal(["Square", "Shift", "Sum", "Mean", "ByPhase", "Balance"], rows.Keys);
        foreach (JsonProperty step in status.RootElement.GetProperty("steps").EnumerateObject())
        {
            Assert.Equal(step.Value.GetProperty("done").GetInt64(), rows[step.Name].Done);
        }

        Assert.Equal((90, 100), rows["Square"]);

        // Failures by cause and step: Square's ten unlucky points.
        Match causes = Regex.Match(html, "<table id=\"failure-causes\">.*?</table>", RegexOptions.Singleline);
        Assert.Matches("<tr><td>Square</td><td>10</td></tr>", causes.Value);
        Assert.Equal(10, Regex.Matches(html, "<tr><td>Square</td><td class=\"text\">[0-9a-f]{32}</td><td class=\"text\">[^<]*</td><td class=\"text\">[^<]*point \\d+ is unlucky</td></tr>").Count);

        // One plot per numeric output property of the per-point products (Value of each; the arrays,
        // the complex number, the dates and the booleans are not plotted), each with every current result.
        var plots = Figures(html, "result");
        Assert.Equal(["square.Value", "shift.Value"], plots.Select(p => $"{p.Data["product"]}.{p.Data["property"]}"));
        foreach (var plot in plots)
        {
            using JsonDocument results = JsonDocument.Parse(Cli.Run("results", plot.Data["product"], "--store", _store.Root, "--format", "json").Out);
            int count = results.RootElement.GetArrayLength();
            Assert.Equal(90, count);
            Assert.Equal(count.ToString(System.Globalization.CultureInfo.InvariantCulture), plot.Data["points"]);
            Assert.Equal("Index", plot.Data["x"]);

            // ScottPlot draws a marker as an ellipse: one per result, and one per series in the legend (Solid, Liquid).
            Assert.Equal(count + 2, Regex.Matches(plot.Inner, "<ellipse").Count);
            Assert.Matches("<text[^>]*>\\s*Phase = Solid\\s*</text>", plot.Inner);
            Assert.Matches("<text[^>]*>\\s*Phase = Liquid\\s*</text>", plot.Inner);
        }

        // The histograms of time and memory count every successful run that provenance recorded.
        var histograms = Figures(html, "histogram");
        Assert.Equal("90", histograms.Single(h => h.Data["step"] == "Square" && h.Data["measure"] == "duration").Data["runs"]);
        Assert.Equal("90", histograms.Single(h => h.Data["step"] == "Shift" && h.Data["measure"] == "memory").Data["runs"]);
        Assert.Single(Figures(html, "throughput"));

        // The ids of the inline SVG documents (their clip paths) are unique in the page.
        string[] ids = [.. Regex.Matches(html, " id=\"(?<id>[^\"]+)\"").Select(m => m.Groups["id"].Value)];
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(Regex.Matches(html, "url\\(#(?<id>[^)]+)\\)"), m => Assert.Contains(m.Groups["id"].Value, ids));
    }

    [Fact]
    public void Without_x_and_series_the_first_numeric_parameter_is_x_and_one_of_a_few_values_makes_the_series()
    {
        Assert.Equal(3, Cli.Run("run", "--store", _store.Root, "--quiet").Exit);
        string other = Path.Combine(_store.Root, "elsewhere.html");
        var (exit, output, error) = Cli.Run("report", "--store", _store.Root, "--out", other, "--json");
        Assert.True(exit == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(Path.GetFullPath(other), json.RootElement.GetProperty("report").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("plots").GetInt32());
        Assert.False(File.Exists(Page));

        // Label has 100 values, Phase 2: Phase is the series.
        string html = File.ReadAllText(other);
        Assert.All(Figures(html, "result"), plot => Assert.Equal("Index", plot.Data["x"]));
        Assert.Matches("<text[^>]*>\\s*Phase = Solid\\s*</text>", html);
    }

    [Fact]
    public void A_product_of_more_results_than_a_plot_draws_draws_one_in_k_in_point_id_order_and_says_so()
    {
        TestSteps.PointCount = 25_000;
        Assert.Equal(3, Cli.Run("run", "--store", _store.Root, "--quiet").Exit);
        Assert.Equal(0, Cli.Run("report", "--store", _store.Root).Exit);

        // 22,500 current results (one point in ten fails) over 20,000: one in 2.
        var plot = Figures(File.ReadAllText(Page), "result").Single(p => p.Data["product"] == "square");
        Assert.Equal("22500", plot.Data["results"]);
        Assert.Equal("11250", plot.Data["points"]);
        Assert.Equal(11250 + 2, Regex.Matches(plot.Inner, "<ellipse").Count);
        Assert.Contains("<figcaption>11250 of 22500 current results: one in 2, in point-id order, at most 20000", plot.Inner, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_that_cannot_be_plotted_is_a_usage_error_that_names_those_that_can_and_writes_nothing()
    {
        Assert.Equal(3, Cli.Run("run", "--store", _store.Root, "--quiet").Exit);

        var label = Cli.Run("report", "--store", _store.Root, "--x", "Label");
        Assert.Equal(2, label.Exit);
        Assert.StartsWith("error: --x Label: give a numeric property of the point, one of Index\n", label.Err, StringComparison.Ordinal);

        var series = Cli.Run("report", "--store", _store.Root, "--series", "Colour");
        Assert.Equal(2, series.Exit);
        Assert.StartsWith("error: --series Colour: give a property of the point other than --x Index, one of Label, Phase\n", series.Err, StringComparison.Ordinal);

        Assert.False(File.Exists(Page));
        Assert.Equal(4, Cli.Run("report", "--store", Path.Combine(_store.Root, "none")).Exit);
    }

    [Fact]
    public async Task Watch_rewrites_the_page_whole_while_a_run_holds_the_store_and_once_more_without_reloading_after_it()
    {
        Assert.Equal(3, Cli.Run("run", "--store", _store.Root, "--quiet").Exit);
        Task<(int Exit, string Out, string Err)> watch;
        var seen = new List<string>();
        using (RunLease.Take(_store.Root, "run", wait: false, _ => { }))
        {
            watch = Task.Run(() => Cli.Run("report", "--store", _store.Root, "--watch", "--interval", "1"));

            // Read as a browser reloading it would, while it is written again and again: always a whole page.
            DateTime until = DateTime.UtcNow.AddSeconds(60);
            while (seen.Count(p => p.Contains("http-equiv=\"refresh\" content=\"1\"", StringComparison.Ordinal)) < 3 && DateTime.UtcNow < until)
            {
                if (File.Exists(Page))
                {
                    seen.Add(File.ReadAllText(Page));
                }

                Thread.Sleep(20);
            }
        }

        var (exit, output, error) = await watch.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, error);
        Assert.True(seen.Count(p => p.Contains("http-equiv=\"refresh\"", StringComparison.Ordinal)) >= 3, $"{seen.Count} reads");
        Assert.All(seen, page => Assert.EndsWith("</body></html>\n", page, StringComparison.Ordinal));
        Assert.Contains($"again in 1 s, while 'run' (process {Environment.ProcessId} on {Environment.MachineName}) writes the store", error, StringComparison.Ordinal);
        Assert.StartsWith("wrote ", output, StringComparison.Ordinal);

        // The last page, written when no one writes the store, does not ask to be reloaded.
        string last = File.ReadAllText(Page);
        Assert.DoesNotContain("http-equiv=\"refresh\"", last, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_store.Root, "*.tmp"));
    }

    [Fact]
    public void A_log_histogram_fills_fixed_bins_five_to_a_decade_and_bounds_its_quantiles_from_above()
    {
        var histogram = new LogHistogram();
        foreach (double seconds in new[] { 0.0011, 0.0012, 0.002, 0.5, 1.0, 0 })
        {
            histogram.Add(seconds, floor: 1e-6);
        }

        Assert.Equal(6, histogram.Count);
        Assert.Equal(1.0, histogram.Max);
        var bins = histogram.Bins().ToArray();

        // From the bin of a microsecond (the floor, for the 0) to the bin of 1 s: 6 decades, 5 bins each, plus 1 s's own.
        Assert.Equal(31, bins.Length);
        Assert.Equal(1e-6, bins[0].Low, 12);
        Assert.Equal(1.0, bins[^1].Low, 12);
        Assert.Equal(6, bins.Sum(b => b.Count));
        Assert.All(bins.Zip(bins.Skip(1)), pair => Assert.Equal(pair.First.High, pair.Second.Low, 12));
        Assert.Equal(2, bins.Single(b => b.Low <= 0.0011 && 0.0012 < b.High).Count);

        // Half the values are at most 1.2 ms: the bound is the top of 1.2 ms's bin, under 1.2 ms x 10^(1/5).
        double median = histogram.Quantile(0.5);
        Assert.InRange(median, 0.0012, 0.0012 * Math.Pow(10, 0.2));
        Assert.Equal(1.0, histogram.Quantile(1.0));
    }

    [Fact]
    public void A_table_cell_shortens_a_long_array_to_its_ends_and_length_and_keeps_a_short_one_as_results_prints_it()
    {
        Assert.Equal("[0 0.25 0.5 … 7.5 7.75 8] (33 values)", ReportFormat.Cell(Enumerable.Range(0, 33).Select(i => i * 0.25).ToArray()));
        Assert.Equal("[4 6 8]", ReportFormat.Cell(new[] { 4, 6, 8 }));
        Assert.Equal(Cairn.Cli.ResultsCommand.Text(new long[8]), ReportFormat.Cell(new long[8]));
        Assert.Equal("1.5", ReportFormat.Cell(1.5));
    }
}
