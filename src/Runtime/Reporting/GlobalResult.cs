using System.Collections.Generic;
using System.Linq;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Reporting;

/// <summary>The current result of a global step (of one group of a grouped step, its group's columns first), its properties as the page shows them (<see cref="ReportFormat.Cell"/>).</summary>
internal sealed record GlobalResult(string Step, string Product, IReadOnlyList<(string Name, string Value)> Properties)
{
    /// <summary>The current result of every global step that has one, for <paramref name="points"/>, the points <c>[Points]</c> yields now.</summary>
    public static List<GlobalResult> Read<TPoint>(CampaignDefinition<TPoint> definition, CampaignStore store, CurrentPoints points)
    {
        CampaignGraph graph = definition.Graph;
        var current = new CurrentResults<TPoint>(definition, store, points);
        var results = new List<GlobalResult>();
        for (int step = graph.PerPointCount; step < graph.Steps.Count; step++)
        {
            ProductBuffer product = ProductReader.Load(store, definition, step);
            IReadOnlyList<Columns.Column> columns = [.. product.GroupKeys?.Columns ?? [], .. product.Values.Columns];
            foreach (int row in current.GlobalRows(product, step))
            {
                results.Add(new GlobalResult(graph.Steps[step].Name, graph.Steps[step].Product,
                    [.. columns.Select(c => (c.Name, ReportFormat.Cell(c.GetBoxed(row))))]));
            }
        }

        return results;
    }
}
