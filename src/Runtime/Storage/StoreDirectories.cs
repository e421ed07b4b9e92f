using System.Collections.Generic;
using Cairn.Hosting;

namespace Cairn.Storage;

/// <summary>Every directory of shards a campaign's store has: points and each product (with their history), failures, provenance.</summary>
internal static class StoreDirectories
{
    public static IEnumerable<StoreDirectory> Of<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition)
    {
        IEnumerable<StoreDirectory> CurrentAndHistory(StoreDirectory current)
        {
            yield return current;
            if (System.IO.Directory.Exists(store.HistoryOf(current.Path)))
            {
                yield return current with { Path = store.HistoryOf(current.Path) };
            }
        }

        foreach (StoreDirectory d in CurrentAndHistory(new(store.PointsDirectory, store.PointsFormat, "points", ProductBuffer.Points(definition.CreatePointColumns()).All, [StoreLayout.PointIdColumn])))
        {
            yield return d;
        }

        for (int step = 0; step < definition.Graph.Steps.Count; step++)
        {
            StepInfo info = definition.Graph.Steps[step];
            foreach (StoreDirectory d in CurrentAndHistory(new(store.ProductDirectory(info.Product), store.ProductFormat(info), info.Product, ProductReader.Empty(definition, step).All, [StoreLayout.KeyColumn])))
            {
                yield return d;
            }
        }

        var failures = new FailureBuffer();
        yield return new(store.FailuresDirectory, CampaignStore.TableFormat, "failures", failures.All, [failures.PointId.Name, failures.Step.Name, failures.Time.Name]);
        var provenance = new ProvenanceBuffer();
        yield return new(store.ProvenanceDirectory, CampaignStore.TableFormat, "provenance", provenance.All, [provenance.Key.Name, provenance.Step.Name, provenance.Start.Name]);
    }
}
