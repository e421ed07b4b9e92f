using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>A stored failure: the step (and its index in the graph), the point (<see cref="Guid.Empty"/> for a global step), what went wrong and when.</summary>
internal sealed record Failure(string Step, int StepIndex, Guid Point, string ErrorType, string Message, DateTime Time)
{
    /// <summary>The point as a listing of failures names it: its id, or "(all points)" for a global step's.</summary>
    public string PointName => Point == Guid.Empty ? "(all points)" : PointId.FromGuid(Point).ToString();
}

/// <summary>The failures of a store that are still open: not since superseded by a result of the current code.</summary>
internal static class OpenFailures
{
    /// <summary>
    /// The newest failure per step and point, of the steps of <paramref name="graph"/>, that
    /// <paramref name="isClosed"/>(step index, point) does not close (a current result is stored
    /// since, or the point is no longer current); by step, then time.
    /// </summary>
    public static List<Failure> Read(CampaignStore store, CampaignGraph graph, Func<int, Guid, bool> isClosed)
    {
        var stepOf = graph.Steps.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var buffer = new FailureBuffer();
        store.ReadAll(store.FailuresDirectory, buffer.All, ShardSchema.Of(buffer.All));
        var newest = new Dictionary<(string, Guid), Failure>();
        for (int i = 0; i < buffer.Count; i++)
        {
            // A step that is no longer in the graph has no open failures.
            if (!stepOf.TryGetValue(buffer.Step[i], out int step))
            {
                continue;
            }

            var failure = new Failure(buffer.Step[i], step, buffer.PointId[i], buffer.ErrorType[i], buffer.Message[i], buffer.Time[i]);
            // By time, not by file order: compaction may put older rows after newer ones.
            if (!newest.TryGetValue((failure.Step, failure.Point), out Failure? known) || failure.Time >= known.Time)
            {
                newest[(failure.Step, failure.Point)] = failure;
            }
        }

        return newest.Values
            .Where(f => !isClosed(f.StepIndex, f.Point))
            .OrderBy(f => f.Step, StringComparer.Ordinal)
            .ThenBy(f => f.Time)
            .ToList();
    }

    /// <summary>
    /// The open failures of per-point steps, where <paramref name="masks"/> tells which current
    /// results are stored (<see cref="StoredState"/>); a failed global step is no point's, and is left out.
    /// </summary>
    public static List<Failure> OfPoints(CampaignStore store, CampaignGraph graph, PointMasks masks) =>
        Read(store, graph, (step, point) => step >= graph.PerPointCount || StepSet.Of(masks.Get(PointId.FromGuid(point))).Contains(step));
}
