using System;
using Cairn.Columns;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>One worker's buffered output: new points, per-point products and failures, written together.</summary>
internal sealed class ResultBatch
{
    public ResultBatch(Func<RecordColumns> pointColumns, Func<int, RecordColumns> productColumns, CampaignGraph graph)
    {
        Points = ProductBuffer.Points(pointColumns());
        Products = new ProductBuffer[graph.PerPointCount];
        for (int i = 0; i < Products.Length; i++)
        {
            Products[i] = ProductBuffer.PerPoint(productColumns(i));
        }
    }

    public ProductBuffer Points { get; }

    public ProductBuffer[] Products { get; }

    public FailureBuffer Failures { get; } = new();

    public ProvenanceBuffer Provenance { get; } = new();

    /// <summary>Points handled since the last clear, to decide when to hand the batch to the writer.</summary>
    public int PointsHandled { get; set; }

    public void Clear()
    {
        Points.Clear();
        foreach (ProductBuffer product in Products)
        {
            product.Clear();
        }

        Failures.Clear();
        Provenance.Clear();
        PointsHandled = 0;
    }
}
