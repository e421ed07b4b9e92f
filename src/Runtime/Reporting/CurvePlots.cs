using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Columns;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Reporting;

/// <summary>
/// The curves a reduction made: for each global product whose output holds two or more 1-D arrays
/// of numbers, each array property against the first, a series per current result. A grouped
/// reduction has one result per group, so its curves come one per group: the Hubbard sample's gap
/// against U, a curve per chain length (legend <c>Size = 4</c>). Arrays of another length than the
/// first are not drawn.
/// </summary>
internal static class CurvePlots
{
    /// <summary>The curves of every global product.</summary>
    public static List<ResultPlot> Of(IEnumerable<CurrentGlobal> products)
    {
        var plots = new List<ResultPlot>();
        foreach ((StepInfo step, ProductBuffer product, int[] rows) in products)
        {
            (Column Column, Func<int, double[]?> Read)[] arrays = [.. product.Values.Columns
                .Select(c => (Column: c, Read: NumericColumn.ArrayOf(c)))
                .Where(a => a.Read is not null)
                .Select(a => (a.Column, a.Read!))];
            if (arrays.Length < 2)
            {
                continue;
            }

            IReadOnlyList<Column> groups = product.GroupKeys?.Columns ?? [];
            string? seriesName = groups.Count == 0 ? null : string.Join(", ", groups.Select(g => g.Name));
            foreach ((Column column, Func<int, double[]?> read) in arrays.Skip(1))
            {
                var series = new List<ResultSeries>();
                foreach (int row in rows)
                {
                    double[]? x = arrays[0].Read(row);
                    double[]? y = read(row);
                    if (x is null || y is null || x.Length != y.Length)
                    {
                        continue;
                    }

                    string label = string.Join(", ", groups.Select(g => Column.Format(g.GetBoxed(row))));
                    var line = new ResultSeries(label, [], []);
                    for (int i = 0; i < x.Length; i++)
                    {
                        if (double.IsFinite(x[i]) && double.IsFinite(y[i]))
                        {
                            line.X.Add(x[i]);
                            line.Y.Add(y[i]);
                        }
                    }

                    series.Add(line);
                }

                // An array of another length than the first in every result is no curve against it.
                if (rows.Length == 0 || series.Count > 0)
                {
                    plots.Add(new ResultPlot(step.Product, column.Name, arrays[0].Column.Name, seriesName, series, rows.Length, 1));
                }
            }
        }

        return plots;
    }
}
