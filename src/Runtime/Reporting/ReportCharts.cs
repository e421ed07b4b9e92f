using System;
using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace Cairn.Reporting;

/// <summary>The report's plots, drawn by ScottPlot as SVG documents to put inline in the page.</summary>
internal static class ReportCharts
{
    private const int Width = 560;
    private const int Height = 340;
    private const int SmallWidth = 420;
    private const int SmallHeight = 260;

    /// <summary>
    /// The plots' font, named: ScottPlot's <c>Fonts.Sans</c> asks SkiaSharp, which without fontconfig
    /// answers with a serif font. The browser draws the SVG's text in it when it has it (Debian does,
    /// package fonts-dejavu-core), else in its own default.
    /// </summary>
    private const string Font = "DejaVu Sans";

    /// <summary>A plot in a sans-serif font, as the page around it.</summary>
    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(Font);
        return plot;
    }

    /// <summary>A histogram on <see cref="LogHistogram"/>'s bins, one bar per bin, the edges labelled with <paramref name="format"/>.</summary>
    public static string Histogram(string title, string axis, LogHistogram histogram, Func<double, string> format)
    {
        var plot = NewPlot();
        var bins = histogram.Bins().ToArray();
        var bars = plot.Add.Bars(Enumerable.Range(0, bins.Length).Select(i => (double)i).ToArray(), bins.Select(b => (double)b.Count).ToArray());
        foreach (Bar bar in bars.Bars)
        {
            bar.Size = 1;
        }

        // Label the edges, about five of them: more would run into each other.
        int every = Math.Max(1, (int)Math.Ceiling((bins.Length + 1) / 5.0));
        double[] edges = [.. Enumerable.Range(0, bins.Length + 1).Where(i => i % every == 0).Select(i => i - 0.5)];
        string[] labels = [.. edges.Select(e => format(e + 0.5 < bins.Length ? bins[(int)(e + 0.5)].Low : bins[^1].High))];
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(edges, labels);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.XLabel(axis);
        plot.YLabel("runs");
        return plot.GetSvgXml(SmallWidth, SmallHeight);
    }

    /// <summary>Results finished per second over time, one line per step, in bins of a round width (about 60 bins over the whole span).</summary>
    public static string Throughput(IReadOnlyList<(string Step, IReadOnlyDictionary<long, long> PerSecond)> steps)
    {
        var plot = NewPlot();
        long first = steps.Where(s => s.PerSecond.Count > 0).Min(s => s.PerSecond.Keys.Min());
        long last = steps.Where(s => s.PerSecond.Count > 0).Max(s => s.PerSecond.Keys.Max());
        long width = BinSeconds(last - first + 1);
        foreach ((string step, IReadOnlyDictionary<long, long> perSecond) in steps.Where(s => s.PerSecond.Count > 0))
        {
            var bins = new SortedDictionary<long, long>();
            foreach ((long second, long count) in perSecond)
            {
                long bin = (second - first) / width;
                bins[bin] = bins.GetValueOrDefault(bin) + count;
            }

            long lastBin = (last - first) / width;
            DateTime[] xs = [.. Enumerable.Range(0, (int)lastBin + 1).Select(b => new DateTime((first + b * width) * TimeSpan.TicksPerSecond, DateTimeKind.Utc))];
            double[] ys = [.. Enumerable.Range(0, (int)lastBin + 1).Select(b => bins.GetValueOrDefault(b) / (double)width)];
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = step;
            line.MarkerSize = xs.Length > 1 ? 0 : 5;
            line.ConnectStyle = ConnectStyle.StepHorizontal;
        }

        plot.Axes.DateTimeTicksBottom();
        plot.XLabel($"time (UTC), bins of {ReportFormat.Seconds(width)}");
        plot.YLabel("results per second");
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetSvgXml(Width, Height);
    }

    /// <summary>A round bin width, in seconds, that cuts <paramref name="span"/> seconds into about 60 bins.</summary>
    public static long BinSeconds(long span)
    {
        long[] widths = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
        return widths.FirstOrDefault(w => span / w <= 60, widths[^1] * Math.Max(1, span / (60 * widths[^1])));
    }

    /// <summary>
    /// One output property against a point parameter, a series per value of another: markers, joined
    /// by lines in the order of x when each x appears once in a series (a curve), markers alone when not
    /// (other parameters vary too).
    /// </summary>
    public static string Results(ResultPlot result)
    {
        var plot = NewPlot();
        foreach (ResultSeries series in result.Series)
        {
            int[] order = [.. Enumerable.Range(0, series.X.Count).OrderBy(i => series.X[i])];
            double[] xs = [.. order.Select(i => series.X[i])];
            double[] ys = [.. order.Select(i => series.Y[i])];
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.MarkerSize = 5;
            scatter.LineWidth = xs.Distinct().Count() == xs.Length ? 1 : 0;
            if (result.SeriesName is { } name)
            {
                scatter.LegendText = $"{name} = {series.Label}";
            }
        }

        plot.Title($"{result.Product}.{result.Property}");
        plot.XLabel(result.XName);
        plot.YLabel(result.Property);
        if (result.SeriesName is not null)
        {
            plot.ShowLegend(Edge.Right);
        }

        return plot.GetSvgXml(Width, Height);
    }
}
