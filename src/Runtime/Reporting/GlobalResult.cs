using System.Collections.Generic;
using System.Linq;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Reporting;

/// <summary>The current result of a global step, its properties as <c>results</c> prints them; none when it has no current result.</summary>
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
            int row = current.GlobalRow(product, step);
            if (row >= 0)
            {
                results.Add(new GlobalResult(graph.Steps[step].Name, graph.Steps[step].Product,
                    [.. product.Values.Columns.Select(c => (c.Name, Cli.ResultsCommand.Text(c.GetBoxed(row))))]));
            }
        }

        return results;
    }
}
