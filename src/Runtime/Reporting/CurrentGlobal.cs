using System.Collections.Generic;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Reporting;

/// <summary>A global step's product as the report reads it once: its rows, and which are current (one per group of a grouped step, in key order).</summary>
internal sealed record CurrentGlobal(StepInfo Step, ProductBuffer Product, int[] Rows)
{
    /// <summary>Every global step's product and current rows, for <paramref name="points"/>, the points <c>[Points]</c> yields now.</summary>
    public static List<CurrentGlobal> Read<TPoint>(CampaignDefinition<TPoint> definition, CampaignStore store, CurrentPoints points)
    {
        CampaignGraph graph = definition.Graph;
        var current = new CurrentResults<TPoint>(definition, store, points);
        var products = new List<CurrentGlobal>();
        for (int step = graph.PerPointCount; step < graph.Steps.Count; step++)
        {
            ProductBuffer product = ProductReader.Load(store, definition, step);
            products.Add(new CurrentGlobal(graph.Steps[step], product, current.GlobalRows(product, step)));
        }

        return products;
    }
}
