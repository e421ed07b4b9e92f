using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// Where a store stands against the points <c>[Points]</c> yields now: per step how many are done
/// (a result of the current code is stored), failed (the step threw and no such result is stored
/// since), blocked (an input failed) or pending; for a reduction, the points without its list inputs
/// and what its current result covered; and the open failures. What <c>status</c> prints and
/// <c>report</c> draws.
/// </summary>
internal sealed class StoreProgress
{
    private StoreProgress(long points, StepState[] steps, (long Failed, long Pending)[] missing, (long Inputs, long Points)?[] coverage, List<string> notes, List<Failure> failures)
    {
        Points = points;
        Steps = steps;
        Missing = missing;
        Coverage = coverage;
        Notes = notes;
        Failures = failures;
    }

    /// <summary>The points <c>[Points]</c> yields now.</summary>
    public long Points { get; }

    /// <summary>Per step, in graph order; a global step counts as one (done, failed, blocked or pending).</summary>
    public IReadOnlyList<StepState> Steps { get; }

    /// <summary>Per global step: the current points whose list inputs failed (or are blocked), and those whose are pending.</summary>
    public IReadOnlyList<(long Failed, long Pending)> Missing { get; }

    /// <summary>Per global step with a current result: how many points it covered, of how many.</summary>
    public IReadOnlyList<(long Inputs, long Points)?> Coverage { get; }

    /// <summary>What to say of the reductions under a table of the steps: blocked, or partial.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The open failures, of current points and current code.</summary>
    public IReadOnlyList<Failure> Failures { get; }

    /// <summary>Reads the store's keys and failures against the points <c>[Points]</c> yields now.</summary>
    public static StoreProgress Read<TPoint>(CampaignDefinition<TPoint> definition, CampaignStore store)
    {
        using CurrentPoints currentPoints = CurrentPoints.Enumerate(definition);
        return Read(definition, store, currentPoints);
    }

    /// <summary>Reads the store's keys and failures against <paramref name="currentPoints"/>, the points <c>[Points]</c> yields now.</summary>
    public static StoreProgress Read<TPoint>(CampaignDefinition<TPoint> definition, CampaignStore store, CurrentPoints currentPoints)
    {
        CampaignGraph graph = definition.Graph;
        var current = new CurrentResults<TPoint>(definition, store, currentPoints);
        var stored = new HashSet<Guid>[graph.Steps.Count];
        for (int step = 0; step < graph.PerPointCount; step++)
        {
            stored[step] = [.. current.PerPointRows(ProductReader.LoadKeys(store, definition, step), step).Keys];
        }

        // A reduction's current rows say how many points they covered of how many (less for a partial one).
        var coverage = new (long Inputs, long Points)?[graph.Steps.Count];
        var groups = new (long Stored, long Runs)[graph.Steps.Count];
        for (int step = graph.PerPointCount; step < graph.Steps.Count; step++)
        {
            // A global result is keyed by no point: Guid.Empty stands for "the current ones are all stored".
            ProductBuffer keys = ProductReader.LoadKeys(store, definition, step);
            int[] currentRows = current.GlobalRows(keys, step);
            groups[step] = (currentRows.Length, current.Global(step)?.Runs.Count ?? 0);
            bool all = currentRows.Length > 0 && currentRows.Length == groups[step].Runs;
            stored[step] = all ? [Guid.Empty] : [];
            coverage[step] = all ? (currentRows.Sum(r => keys.InputCount[r]), currentRows.Sum(r => keys.PointCount[r])) : null;
        }

        List<Failure> failures = OpenFailures.Read(store, graph,
            (step, point) => stored[step].Contains(point) || (point != Guid.Empty && !currentPoints.Contains(point)));
        var failedAt = failures.Where(f => f.Point != Guid.Empty).ToLookup(f => f.Point, f => f.StepIndex);
        var rows = new StepState[graph.Steps.Count];
        var state = new PointState[graph.PerPointCount];
        var missing = new (long Failed, long Pending)[graph.Steps.Count];
        int[][] lists = [.. graph.Steps.Select((s, i) => graph.InputSteps[i].Where((p, k) => s.Inputs[k].IsList).ToArray())];
        long points = 0;
        foreach (Guid point in currentPoints.Ids())
        {
            points++;
            var failedSteps = failedAt[point].ToHashSet();
            for (int step = 0; step < graph.PerPointCount; step++)
            {
                state[step] = stored[step].Contains(point) ? PointState.Done
                    : failedSteps.Contains(step) ? PointState.Failed
                    : graph.InputSteps[step].Any(p => state[p] is PointState.Failed or PointState.Blocked) ? PointState.Blocked
                    : PointState.Pending;
                rows[step] = rows[step].Add(state[step]);
            }

            for (int step = graph.PerPointCount; step < graph.Steps.Count; step++)
            {
                bool inputFailed = lists[step].Any(p => state[p] is PointState.Failed or PointState.Blocked);
                missing[step].Failed += inputFailed ? 1 : 0;
                missing[step].Pending += !inputFailed && lists[step].Any(p => state[p] == PointState.Pending) ? 1 : 0;
            }
        }

        var notes = new List<string>();
        for (int step = graph.PerPointCount; step < graph.Steps.Count; step++)
        {
            StepInfo info = graph.Steps[step];
            bool waits = ReductionCoverage.IsBlocked(info, missing[step].Failed)
                || graph.InputSteps[step].Any(p => p >= graph.PerPointCount && (rows[p].Failed + rows[p].Blocked) > 0);
            bool done = stored[step].Count > 0 && (info.Partial || missing[step].Failed + missing[step].Pending == 0);
            bool failed = !done && failures.Any(f => f.StepIndex == step);
            bool isBlocked = !done && !failed && waits;
            // A grouped step counts its groups (those with inputs); another one counts 1.
            long total = info.IsGrouped ? Math.Max(1, groups[step].Runs) : 1;
            long finished = done ? total : info.IsGrouped ? groups[step].Stored : 0;
            long rest = total - finished;
            rows[step] = new StepState(finished, failed ? rest : 0, isBlocked ? rest : 0, failed || isBlocked ? 0 : rest);
            if (isBlocked && missing[step].Failed > 0)
            {
                notes.Add(ReductionCoverage.Message(info, missing[step].Failed, points));
            }
            else if (done && coverage[step] is { } covered && covered.Inputs < covered.Points && info.Inputs.Any(i => i.IsList))
            {
                notes.Add($"{info.Name} covers {covered.Inputs} of {covered.Points} points ([Step(Partial = true)]: the others have no current input).");
            }
        }

        return new StoreProgress(points, rows, missing, coverage, notes, failures);
    }
}
