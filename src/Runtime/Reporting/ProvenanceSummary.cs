using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Reporting;

/// <summary>
/// The store's provenance, summed shard by shard so that its memory does not grow with the store:
/// per step, the runs that succeeded and failed with histograms of their durations and peak
/// memory (every code version's runs: they are what a step costs), and how many it finished in
/// each second, for the throughput over time.
/// </summary>
internal sealed class ProvenanceSummary
{
    /// <summary>Durations under a microsecond count as one.</summary>
    private const double ShortestSeconds = 1e-6;

    /// <summary>Peaks under a kibibyte (none is, but a missing one is 0) count as one.</summary>
    private const double SmallestBytes = 1024;

    private ProvenanceSummary(IReadOnlyList<StepTimings> steps) => Steps = steps;

    /// <summary>Per step of the graph, in its order.</summary>
    public IReadOnlyList<StepTimings> Steps { get; }

    /// <summary>Reads the provenance of <paramref name="store"/> one shard at a time.</summary>
    public static ProvenanceSummary Read(CampaignStore store, CampaignGraph graph)
    {
        var summary = new ProvenanceSummary([.. graph.Steps.Select(_ => new StepTimings())]);
        var index = graph.Steps.Select((s, i) => (s.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var rows = new ProvenanceBuffer();
        store.ReadEach(store.ProvenanceDirectory, [rows.Step, rows.Start, rows.DurationMicroseconds, rows.PeakWorkingSet, rows.Status], rows.Schema, () =>
        {
            for (int row = 0; row < rows.Step.Count; row++)
            {
                if (index.TryGetValue(rows.Step[row], out int step))
                {
                    summary.Add(step, rows.Start[row], rows.DurationMicroseconds[row], rows.PeakWorkingSet[row], rows.Status[row]);
                }
            }
        });
        return summary;
    }

    private void Add(int step, DateTime start, long microseconds, long peakBytes, string status)
    {
        StepTimings timings = Steps[step];
        if (status == ProvenanceBuffer.Failed)
        {
            timings.Failed++;
        }
        else if (status == ProvenanceBuffer.Succeeded)
        {
            timings.Succeeded++;
            timings.Seconds.Add(microseconds * 1e-6, ShortestSeconds);
            timings.PeakBytes.Add(peakBytes, SmallestBytes);
            timings.Finished(start.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond));
        }
    }
}
