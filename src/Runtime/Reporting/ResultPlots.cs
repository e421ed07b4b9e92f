using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Cli;
using Cairn.Columns;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Reporting;

/// <summary>
/// The plots of a report's results: for each per-point product, each numeric output property
/// against one point parameter (<c>--x</c>), with a series per value of another (<c>--series</c>).
/// Only current results count, as <c>results</c> prints them.
/// </summary>
internal static class ResultPlots
{
    /// <summary>The points a plot draws at most; a product with more current results draws every k-th, in point-id order.</summary>
    public const int MostDrawn = 20_000;

    /// <summary>A parameter with more values than this is not taken as the series unless asked for.</summary>
    public const int MostSeries = 12;

    /// <summary>
    /// The plots of every per-point product, over <paramref name="currentPoints"/> (the points <c>[Points]</c> yields now). <paramref name="x"/> defaults to the point's first
    /// numeric property, <paramref name="series"/> to its first other property with 2 to
    /// <see cref="MostSeries"/> values (none when there is none).
    /// </summary>
    /// <exception cref="UsageException"><paramref name="x"/> is not a numeric property of the point, or <paramref name="series"/> no property of it.</exception>
    public static List<ResultPlot> Gather<TPoint>(CampaignDefinition<TPoint> definition, CampaignStore store, CurrentPoints currentPoints, string? x, string? series)
    {
        CampaignGraph graph = definition.Graph;
        ProductBuffer points = ProductReader.LoadPoints(store, definition);
        Dictionary<Guid, int> pointRow = ProductReader.FirstRows(points);
        IReadOnlyList<Column> parameters = points.Values.Columns;
        Column xColumn = ChooseX(parameters, x);
        Func<int, double> xOf = NumericColumn.Of(xColumn)!;
        Column? seriesColumn = ChooseSeries(parameters, xColumn, series, pointRow.Values);

        var current = new CurrentResults<TPoint>(definition, store, currentPoints);
        var plots = new List<ResultPlot>();
        for (int step = 0; step < graph.PerPointCount; step++)
        {
            ProductBuffer product = ProductReader.Load(store, definition, step);
            // Point-id order, as the typed readers give results: the same points are drawn whatever the shards' order.
            (Guid Point, int Row, int At)[] rows = [.. current.PerPointRows(product, step)
                .Select(p => (p.Key, p.Value, pointRow.GetValueOrDefault(p.Key, -1)))
                .Where(r => r.Item3 >= 0)
                .OrderBy(r => PointId.FromGuid(r.Item1))];
            int stride = (int)Math.Ceiling(rows.Length / (double)MostDrawn);
            foreach (Column column in product.Values.Columns)
            {
                if (NumericColumn.Of(column) is not { } yOf)
                {
                    continue;
                }

                var bySeries = new SortedDictionary<string, ResultSeries>(StringComparer.Ordinal);
                for (int i = 0; i < rows.Length; i += Math.Max(stride, 1))
                {
                    double xValue = xOf(rows[i].At);
                    double yValue = yOf(rows[i].Row);
                    if (!double.IsFinite(xValue) || !double.IsFinite(yValue))
                    {
                        continue;
                    }

                    string label = seriesColumn is null ? "" : Column.Format(seriesColumn.GetBoxed(rows[i].At));
                    if (!bySeries.TryGetValue(label, out ResultSeries? line))
                    {
                        bySeries[label] = line = new ResultSeries(label, [], []);
                    }

                    line.X.Add(xValue);
                    line.Y.Add(yValue);
                }

                plots.Add(new ResultPlot(graph.Steps[step].Product, column.Name, xColumn.Name, seriesColumn?.Name,
                    [.. bySeries.Values.OrderBy(s => SeriesOrder(s.Label)).ThenBy(s => s.Label, StringComparer.Ordinal)], rows.Length, Math.Max(stride, 1)));
            }
        }

        return plots;
    }

    /// <summary>Series of numbers in numeric order (L = 4, 6, 10 rather than 10, 4, 6); others after them.</summary>
    private static double SeriesOrder(string label) =>
        double.TryParse(label, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value) ? value : double.PositiveInfinity;

    private static Column ChooseX(IReadOnlyList<Column> parameters, string? x)
    {
        Column[] numeric = [.. parameters.Where(c => NumericColumn.Of(c) is not null)];
        if (x is null)
        {
            return numeric.FirstOrDefault()
                ?? throw new UsageException($"the point has no numeric property to plot results against; its properties are {Names(parameters)}");
        }

        return numeric.FirstOrDefault(c => c.Name == x)
            ?? throw new UsageException($"--x {x}: give a numeric property of the point, one of {Names(numeric)}");
    }

    private static Column? ChooseSeries(IReadOnlyList<Column> parameters, Column xColumn, string? series, IEnumerable<int> rows)
    {
        if (series is not null)
        {
            return parameters.FirstOrDefault(c => c.Name == series && c != xColumn)
                ?? throw new UsageException($"--series {series}: give a property of the point other than --x {xColumn.Name}, one of {Names(parameters.Where(c => c != xColumn))}");
        }

        int[] points = [.. rows];
        return parameters.FirstOrDefault(c => c != xColumn
            && points.Select(row => Column.Format(c.GetBoxed(row))).Distinct(StringComparer.Ordinal).Take(MostSeries + 1).Count() is >= 2 and <= MostSeries);
    }

    private static string Names(IEnumerable<Column> columns)
    {
        string names = string.Join(", ", columns.Select(c => c.Name));
        return names.Length == 0 ? "(none)" : names;
    }
}
