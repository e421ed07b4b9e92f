using System;
using System.Collections.Generic;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// What provenance measured of each step's successful runs: their mean and longest duration and
/// the largest peak working set of a process that ran them. Read once, for sizing work to a scheduler.
/// </summary>
internal sealed class MeasuredSteps
{
    private readonly Dictionary<string, (double Sum, long Count, double Longest, long Peak)> _steps = new(StringComparer.Ordinal);

    /// <summary>Reads the measures of every step from the store's provenance.</summary>
    public static MeasuredSteps Read(CampaignStore store)
    {
        var provenance = new ProvenanceBuffer();
        store.ReadAll(store.ProvenanceDirectory, [provenance.Step, provenance.DurationMicroseconds, provenance.PeakWorkingSet, provenance.Status], provenance.Schema);
        var measured = new MeasuredSteps();
        for (int i = 0; i < provenance.Step.Count; i++)
        {
            if (provenance.Status[i] == ProvenanceBuffer.Succeeded)
            {
                measured.Add(provenance.Step[i], provenance.DurationMicroseconds[i] * 1e-6, provenance.PeakWorkingSet[i]);
            }
        }

        return measured;
    }

    /// <summary>Records one successful run of <paramref name="step"/>.</summary>
    public void Add(string step, double seconds, long peakBytes)
    {
        (double sum, long count, double longest, long peak) = _steps.GetValueOrDefault(step);
        _steps[step] = (sum + seconds, count + 1, Math.Max(longest, seconds), Math.Max(peak, peakBytes));
    }

    /// <summary>The mean duration of each per-point step, summed: a point's seconds on one core; null when a per-point step has no measure.</summary>
    public double? SecondsPerPoint(CampaignGraph graph)
    {
        double total = 0;
        for (int step = 0; step < graph.PerPointCount; step++)
        {
            if (!_steps.TryGetValue(graph.Steps[step].Name, out var measured))
            {
                return null;
            }

            total += measured.Sum / measured.Count;
        }

        return total;
    }

    /// <summary>
    /// The global steps one after another, each as long as its longest run, and the largest peak of
    /// a process that ran one; null when the campaign has none, or one has no measure. (See
    /// <see cref="GlobalPoints"/> for the size of the campaign they were measured on.)
    /// </summary>
    public (TimeSpan Duration, long PeakBytes)? Global(CampaignGraph graph)
    {
        double seconds = 0;
        long peak = 0;
        for (int step = graph.PerPointCount; step < graph.Steps.Count; step++)
        {
            if (!_steps.TryGetValue(graph.Steps[step].Name, out var measured))
            {
                return null;
            }

            seconds += measured.Longest;
            peak = Math.Max(peak, measured.Peak);
        }

        return graph.Steps.Count > graph.PerPointCount ? (TimeSpan.FromSeconds(seconds), peak) : null;
    }

    /// <summary>The most points any stored result of a global step that is not grouped was computed over (its <c>points</c> column); 0 when none is stored.</summary>
    public static long GlobalPoints<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition)
    {
        long most = 0;
        for (int step = definition.Graph.PerPointCount; step < definition.Graph.Steps.Count; step++)
        {
            // A grouped result's points are its group's, not the campaign's.
            if (definition.Graph.Steps[step].IsGrouped)
            {
                continue;
            }

            ProductBuffer rows = ProductReader.Empty(definition, step);
            store.ReadAll(store.ProductDirectory(definition.Graph.Steps[step].Product), rows.Keys, rows.Schema);
            for (int row = 0; row < rows.PointCount.Count; row++)
            {
                most = Math.Max(most, rows.PointCount[row]);
            }
        }

        return most;
    }
}
