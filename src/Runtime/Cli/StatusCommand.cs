using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Scheduling;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>
/// <c>status</c>: per step how many of the points <c>[Points]</c> yields now are done (a result of
/// the current code is stored), failed (the step threw and no such result is stored since), blocked
/// (an input failed) or pending; and the open failures.
/// </summary>
internal static class StatusCommand
{
    private const int FailuresShown = 20;

    public static int Execute<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout)
    {
        CampaignStore store = StoreAccess.OpenExisting(definition, line);
        int interval = line.PositiveInt("--interval", 10);
        while (true)
        {
            List<QueuedTask> queued = Queued(store, line);
            Report(definition, store, line, stdout, queued);
            stdout.Flush();
            if (!line.Has("--watch") || queued.Count == 0)
            {
                return ExitCodes.Success;
            }

            System.Threading.Thread.Sleep(TimeSpan.FromSeconds(interval));
            stdout.WriteLine();
        }
    }

    /// <summary>A task of a submission still in Slurm's queue.</summary>
    private sealed record QueuedTask(int Submission, string Task, string State);

    /// <summary>
    /// The tasks of the store's submissions still queued or running; none when the store has no
    /// submission, or when Slurm cannot be asked (a warning says why: the store may have been copied off the cluster).
    /// </summary>
    private static List<QueuedTask> Queued(CampaignStore store, CommandLine line)
    {
        try
        {
            return Submission.All(store)
                .SelectMany(s => BatchSchedulers.Of(s).Queued(s.Jobs).Select(t => new QueuedTask(s.Number, t.Task, t.State)))
                .ToList();
        }
        catch (SchedulerException e)
        {
            line.Warn($"warning: the store's Slurm jobs are not shown: {e.Message}");
            return [];
        }
    }

    private static void Report<TPoint>(CampaignDefinition<TPoint> definition, CampaignStore store, CommandLine line, TextWriter stdout, List<QueuedTask> queued)
    {
        CampaignGraph graph = definition.Graph;
        using CurrentPoints currentPoints = CurrentPoints.Enumerate(definition);
        var current = new CurrentResults<TPoint>(definition, store, currentPoints);
        var stored = new HashSet<Guid>[graph.Steps.Count];
        for (int step = 0; step < graph.PerPointCount; step++)
        {
            stored[step] = [.. current.PerPointRows(ProductReader.LoadKeys(store, definition, step), step).Keys];
        }

        // A reduction's current row says how many points it covered of how many (less for a partial one).
        var coverage = new (long Inputs, long Points)?[graph.Steps.Count];
        for (int step = graph.PerPointCount; step < graph.Steps.Count; step++)
        {
            // A global result is keyed by no point: Guid.Empty stands for "the current one is stored".
            ProductBuffer keys = ProductReader.LoadKeys(store, definition, step);
            int row = current.GlobalRow(keys, step);
            stored[step] = row >= 0 ? [Guid.Empty] : [];
            coverage[step] = row >= 0 ? (keys.InputCount[row], keys.PointCount[row]) : null;
        }

        List<Failure> failures = OpenFailures.Read(store, graph,
            (step, point) => stored[step].Contains(point) || (point != Guid.Empty && !currentPoints.Contains(point)));
        var failedAt = failures.Where(f => f.Point != Guid.Empty).ToLookup(f => f.Point, f => f.StepIndex);
        var rows = new (long Done, long Failed, long Blocked, long Pending)[graph.Steps.Count];
        var state = new int[graph.PerPointCount];
        // Per global step: the current points whose list inputs failed (or are blocked), and those whose are pending.
        var missing = new (long Failed, long Pending)[graph.Steps.Count];
        int[][] lists = [.. graph.Steps.Select((s, i) => graph.InputSteps[i].Where((p, k) => s.Inputs[k].IsList).ToArray())];
        long points = 0;
        foreach (Guid point in currentPoints.Ids())
        {
            points++;
            var failedSteps = failedAt[point].ToHashSet();
            for (int step = 0; step < graph.PerPointCount; step++)
            {
                // 0 done, 1 failed, 2 blocked, 3 pending
                state[step] = stored[step].Contains(point) ? 0
                    : failedSteps.Contains(step) ? 1
                    : graph.InputSteps[step].Any(p => state[p] is 1 or 2) ? 2
                    : 3;
                rows[step].Done += state[step] == 0 ? 1 : 0;
                rows[step].Failed += state[step] == 1 ? 1 : 0;
                rows[step].Blocked += state[step] == 2 ? 1 : 0;
                rows[step].Pending += state[step] == 3 ? 1 : 0;
            }

            for (int step = graph.PerPointCount; step < graph.Steps.Count; step++)
            {
                missing[step].Failed += lists[step].Any(p => state[p] is 1 or 2) ? 1 : 0;
                missing[step].Pending += !lists[step].Any(p => state[p] is 1 or 2) && lists[step].Any(p => state[p] == 3) ? 1 : 0;
            }
        }

        var notes = new List<string>(); // what status says of the reductions, under the table
        for (int step = graph.PerPointCount; step < graph.Steps.Count; step++)
        {
            StepInfo info = graph.Steps[step];
            bool waits = ReductionCoverage.IsBlocked(info, missing[step].Failed)
                || graph.InputSteps[step].Any(p => p >= graph.PerPointCount && (rows[p].Failed + rows[p].Blocked) > 0);
            bool done = stored[step].Count > 0 && (info.Partial || missing[step].Failed + missing[step].Pending == 0);
            bool failed = !done && failures.Any(f => f.StepIndex == step);
            bool isBlocked = !done && !failed && waits;
            rows[step] = (done ? 1 : 0, failed ? 1 : 0, isBlocked ? 1 : 0, done || failed || isBlocked ? 0 : 1);
            if (isBlocked && missing[step].Failed > 0)
            {
                notes.Add(ReductionCoverage.Message(info, missing[step].Failed, points));
            }
            else if (done && coverage[step] is { } covered && covered.Inputs < covered.Points)
            {
                notes.Add($"{info.Name} covers {covered.Inputs} of {covered.Points} points ([Step(Partial = true)]: the others have no current input).");
            }
        }

        if (line.Has("--json"))
        {
            WriteJson(stdout, graph, points, rows, missing, coverage, failures, queued);
        }
        else
        {
            WriteText(stdout, store, graph, points, rows, notes, failures, queued);
        }
    }

    private static void WriteText(TextWriter stdout, CampaignStore store, CampaignGraph graph, long points,
        (long Done, long Failed, long Blocked, long Pending)[] rows, List<string> notes, List<Failure> failures, List<QueuedTask> queued)
    {
        stdout.WriteLine($"campaign {graph.Name} in {store.Root}: {points} points ({DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC)");
        var table = new TextTable("step", "product", "done", "failed", "blocked", "pending");
        for (int i = 0; i < rows.Length; i++)
        {
            table.Add(graph.Steps[i].Name, graph.Steps[i].Product, TextTable.Number(rows[i].Done), TextTable.Number(rows[i].Failed), TextTable.Number(rows[i].Blocked), TextTable.Number(rows[i].Pending));
        }

        table.WriteTo(stdout);
        foreach (string note in notes)
        {
            stdout.WriteLine(note);
        }

        foreach (var submission in queued.GroupBy(t => t.Submission))
        {
            string states = string.Join(", ", submission.GroupBy(t => t.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}"));
            stdout.WriteLine($"Slurm: submission {submission.Key} has {states} task(s)");
        }

        if (failures.Count == 0)
        {
            return;
        }

        stdout.WriteLine();
        string causes = string.Join(", ", failures.GroupBy(f => f.ErrorType).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
        stdout.WriteLine($"{failures.Count} open failure(s) by cause: {causes}");
        string crashed = failures.Any(f => f.ErrorType == FailureCauses.Crashed) ? " ('run --isolate' for CRASHED, each point alone)" : "";
        stdout.WriteLine($"'run' retries them here{crashed}; 'retry --slurm' on Slurm, with more memory for OUT_OF_MEMORY and more time for TIMEOUT:");
        foreach (Failure f in failures.Take(FailuresShown))
        {
            string point = f.Point == Guid.Empty ? "(all points)" : PointId.FromGuid(f.Point).ToString();
            stdout.WriteLine($"  {f.Step}  {point}  {f.ErrorType}: {TextTable.Truncate(f.Message.ReplaceLineEndings(" "), 120)}");
        }

        if (failures.Count > FailuresShown)
        {
            stdout.WriteLine($"  ... and {failures.Count - FailuresShown} more ('status --json' lists all)");
        }
    }

    private static void WriteJson(TextWriter stdout, CampaignGraph graph, long points,
        (long Done, long Failed, long Blocked, long Pending)[] rows, (long Failed, long Pending)[] missing, (long Inputs, long Points)?[] coverage,
        List<Failure> failures, List<QueuedTask> queued)
    {
        JsonOutput.WriteLine(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteString("campaign", graph.Name);
            json.WriteNumber("points", points);
            json.WriteStartObject("steps");
            for (int i = 0; i < rows.Length; i++)
            {
                json.WriteStartObject(graph.Steps[i].Name);
                json.WriteString("product", graph.Steps[i].Product);
                json.WriteNumber("done", rows[i].Done);
                json.WriteNumber("failed", rows[i].Failed);
                json.WriteNumber("blocked", rows[i].Blocked);
                json.WriteNumber("pending", rows[i].Pending);
                if (i >= graph.PerPointCount)
                {
                    // The current points without the list inputs of a reduction.
                    json.WriteNumber("missing_inputs", missing[i].Failed + missing[i].Pending);
                    if (coverage[i] is { } covered)
                    {
                        // The stored current result: how many points it covered, of how many.
                        json.WriteNumber("input_count", covered.Inputs);
                        json.WriteNumber("points", covered.Points);
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteStartObject("failure_causes");
            foreach (var cause in failures.GroupBy(f => f.ErrorType).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(cause.Key, cause.Count());
            }

            json.WriteEndObject();
            json.WriteStartArray("jobs");
            foreach (QueuedTask task in queued)
            {
                json.WriteStartObject();
                json.WriteNumber("submission", task.Submission);
                json.WriteString("task", task.Task);
                json.WriteString("state", task.State);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("failures");
            foreach (Failure f in failures)
            {
                json.WriteStartObject();
                json.WriteString("step", f.Step);
                if (f.Point != Guid.Empty)
                {
                    json.WriteString("point_id", PointId.FromGuid(f.Point).ToString());
                }

                json.WriteString("error_type", f.ErrorType);
                json.WriteString("message", f.Message);
                json.WriteString("time", f.Time);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
