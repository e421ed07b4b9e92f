using System.Collections.Generic;
using System.Linq;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Reporting;

/// <summary>The current result of a global step (of one group of a grouped step, its group's columns first), its properties as the page shows them (<see cref="ReportFormat.Cell"/>).</summary>
internal sealed record GlobalResult(string Step, string Product, IReadOnlyList<(string Name, string Value)> Properties)
{
    /// <summary>The current results of every global step that has one.</summary>
    public static List<GlobalResult> Of(IEnumerable<CurrentGlobal> products)
    {
        var results = new List<GlobalResult>();
        foreach ((StepInfo step, ProductBuffer product, int[] rows) in products)
        {
            IReadOnlyList<Columns.Column> columns = [.. product.GroupKeys?.Columns ?? [], .. product.Values.Columns];
            foreach (int row in rows)
            {
                results.Add(new GlobalResult(step.Name, step.Product, [.. columns.Select(c => (c.Name, ReportFormat.Cell(c.GetBoxed(row))))]));
            }
        }

        return results;
    }
}
