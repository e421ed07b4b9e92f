using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>
/// <c>status</c>: per step how many points are done (a result of the current code is stored),
/// failed (the step threw and no such result is stored since), blocked (an input failed) or
/// pending; and the open failures.
/// </summary>
internal static class StatusCommand
{
    private const int FailuresShown = 20;

    public static int Execute<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout)
    {
        CampaignStore store = StoreAccess.OpenExisting(definition, line);
        CampaignGraph graph = definition.Graph;
        Guid[] points = ProductReader.FirstRows(ProductReader.LoadPoints(store, definition)).Keys.ToArray();
        var current = new CurrentResults<TPoint>(definition, store);
        var stored = new HashSet<Guid>[graph.Steps.Count];
        for (int step = 0; step < graph.PerPointCount; step++)
        {
            stored[step] = [.. current.PerPointRows(ProductReader.LoadKeys(store, definition, step), step).Keys];
        }

        for (int step = graph.PerPointCount; step < graph.Steps.Count; step++)
        {
            // A global result is keyed by no point: Guid.Empty stands for "the current one is stored".
            stored[step] = current.GlobalRow(ProductReader.LoadKeys(store, definition, step), step) >= 0 ? [Guid.Empty] : [];
        }

        var stepOf = graph.Steps.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        List<Failure> failures = OpenFailures(store, stepOf, stored);
        var failedAt = failures.Where(f => f.Point != Guid.Empty).ToLookup(f => f.Point, f => stepOf[f.Step]);
        var rows = new (long Done, long Failed, long Blocked, long Pending)[graph.Steps.Count];
        var state = new int[graph.PerPointCount];
        foreach (Guid point in points)
        {
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
        }

        for (int step = graph.PerPointCount; step < graph.Steps.Count; step++)
        {
            bool done = stored[step].Count > 0;
            bool failed = failures.Any(f => f.Step == graph.Steps[step].Name);
            rows[step] = (done ? 1 : 0, failed ? 1 : 0, 0, done || failed ? 0 : 1);
        }

        if (line.Has("--json"))
        {
            WriteJson(stdout, graph, points.Length, rows, failures);
        }
        else
        {
            WriteText(stdout, store, graph, points.Length, rows, failures);
        }

        return ExitCodes.Success;
    }

    private sealed record Failure(string Step, Guid Point, string ErrorType, string Message, DateTime Time);

    /// <summary>Failures not since superseded by a stored result, the newest per step and point.</summary>
    private static List<Failure> OpenFailures(CampaignStore store, Dictionary<string, int> stepOf, HashSet<Guid>[] stored)
    {
        var buffer = new FailureBuffer();
        store.ReadAll(store.FailuresDirectory, buffer.All, buffer.All.Select(c => c.Name).ToArray());
        var newest = new Dictionary<(string, Guid), Failure>();
        for (int i = 0; i < buffer.Count; i++)
        {
            var failure = new Failure(buffer.Step[i], buffer.PointId[i], buffer.ErrorType[i], buffer.Message[i], buffer.Time[i]);
            // By time, not by file order: compaction may put older rows after newer ones.
            if (!newest.TryGetValue((failure.Step, failure.Point), out Failure? known) || failure.Time >= known.Time)
            {
                newest[(failure.Step, failure.Point)] = failure;
            }
        }

        return newest.Values
            .Where(f => stepOf.TryGetValue(f.Step, out int step) && !stored[step].Contains(f.Point))
            .OrderBy(f => f.Step, StringComparer.Ordinal)
            .ThenBy(f => f.Time)
            .ToList();
    }

    private static void WriteText(TextWriter stdout, CampaignStore store, CampaignGraph graph, long points,
        (long Done, long Failed, long Blocked, long Pending)[] rows, List<Failure> failures)
    {
        stdout.WriteLine($"campaign {graph.Name} in {store.Root}: {points} points");
        var table = new TextTable("step", "product", "done", "failed", "blocked", "pending");
        for (int i = 0; i < rows.Length; i++)
        {
            table.Add(graph.Steps[i].Name, graph.Steps[i].Product, TextTable.Number(rows[i].Done), TextTable.Number(rows[i].Failed), TextTable.Number(rows[i].Blocked), TextTable.Number(rows[i].Pending));
        }

        table.WriteTo(stdout);
        if (failures.Count == 0)
        {
            return;
        }

        stdout.WriteLine();
        stdout.WriteLine($"{failures.Count} open failure(s); 'run' retries them:");
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
        (long Done, long Failed, long Blocked, long Pending)[] rows, List<Failure> failures)
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
                json.WriteEndObject();
            }

            json.WriteEndObject();
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
