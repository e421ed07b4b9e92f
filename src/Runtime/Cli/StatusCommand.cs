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
/// <c>status</c>: the store's <see cref="StoreProgress"/> (per step, how many of the points
/// <c>[Points]</c> yields now are done, failed, blocked or pending; the open failures) and the
/// Slurm tasks still queued or running.
/// </summary>
internal static class StatusCommand
{
    private const int FailuresShown = 20;

    public static int Execute<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, TextWriter stdout)
    {
        CampaignStore store = StoreAccess.OpenExisting(definition, line);
        int interval = line.PositiveInt("--interval", 10);
        if (ProgramIdentity.Warning(definition.Graph) is string missing)
        {
            line.Warn(missing);
        }

        while (true)
        {
            List<SubmittedTask> queued = Queued(store, line);
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

    /// <summary>A task of submission <paramref name="Submission"/> still in Slurm's queue.</summary>
    private sealed record SubmittedTask(int Submission, QueuedTask Task);

    /// <summary>
    /// The tasks of the store's submissions still queued or running; none when the store has no
    /// submission, or when Slurm cannot be asked (a warning says why: the store may have been copied off the cluster).
    /// </summary>
    private static List<SubmittedTask> Queued(CampaignStore store, CommandLine line)
    {
        try
        {
            return Submission.All(store)
                .SelectMany(s => BatchSchedulers.Of(s).Queued(s.Jobs).Select(t => new SubmittedTask(s.Number, t)))
                .ToList();
        }
        catch (SchedulerException e)
        {
            line.Warn($"warning: the store's Slurm jobs are not shown: {e.Message}");
            return [];
        }
    }

    private static void Report<TPoint>(CampaignDefinition<TPoint> definition, CampaignStore store, CommandLine line, TextWriter stdout, List<SubmittedTask> queued)
    {
        StoreProgress progress = StoreProgress.Read(definition, store);
        if (line.Has("--json"))
        {
            WriteJson(stdout, definition.Graph, progress, queued);
        }
        else
        {
            WriteText(stdout, store, definition.Graph, progress, queued);
        }
    }

    private static void WriteText(TextWriter stdout, CampaignStore store, CampaignGraph graph, StoreProgress progress, List<SubmittedTask> queued)
    {
        IReadOnlyList<StepState> rows = progress.Steps;
        IReadOnlyList<Failure> failures = progress.Failures;
        stdout.WriteLine($"campaign {graph.Name} in {store.Root}: {progress.Points} points ({DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC)");
        var table = new TextTable("step", "product", "done", "failed", "blocked", "pending");
        for (int i = 0; i < rows.Count; i++)
        {
            table.Add(graph.Steps[i].Name, graph.Steps[i].Product, TextTable.Number(rows[i].Done), TextTable.Number(rows[i].Failed), TextTable.Number(rows[i].Blocked), TextTable.Number(rows[i].Pending));
        }

        table.WriteTo(stdout);
        foreach (string note in progress.Notes)
        {
            stdout.WriteLine(note);
        }

        foreach (var submission in queued.GroupBy(t => t.Submission))
        {
            // "2 pending (Resources), 1 running": why tasks wait is what tells a full cluster from a drained node.
            string states = string.Join(", ", submission
                .GroupBy(t => (t.Task.State, t.Task.Reason))
                .OrderBy(g => g.Key.State, StringComparer.Ordinal).ThenBy(g => g.Key.Reason, StringComparer.Ordinal)
                .Select(g => $"{g.Count()} {g.Key.State.ToLowerInvariant()}{(g.Key.Reason is string reason ? $" ({reason})" : "")}"));
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
            stdout.WriteLine($"  {f.Step}  {f.PointName}  {f.ErrorType}: {TextTable.Truncate(f.Message.ReplaceLineEndings(" "), 120)}");
        }

        if (failures.Count > FailuresShown)
        {
            stdout.WriteLine($"  ... and {failures.Count - FailuresShown} more ('status --json' lists all)");
        }
    }

    private static void WriteJson(TextWriter stdout, CampaignGraph graph, StoreProgress progress, List<SubmittedTask> queued)
    {
        IReadOnlyList<StepState> rows = progress.Steps;
        IReadOnlyList<Failure> failures = progress.Failures;
        JsonOutput.WriteLine(stdout, json =>
        {
            json.WriteStartObject();
            json.WriteString("campaign", graph.Name);
            json.WriteNumber("points", progress.Points);
            json.WriteStartObject("steps");
            for (int i = 0; i < rows.Count; i++)
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
                    json.WriteNumber("missing_inputs", progress.Missing[i].Failed + progress.Missing[i].Pending);
                    if (progress.Coverage[i] is { } covered)
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
            foreach (SubmittedTask task in queued)
            {
                json.WriteStartObject();
                json.WriteNumber("submission", task.Submission);
                json.WriteString("task", task.Task.Task);
                json.WriteString("state", task.Task.State);
                if (task.Task.Reason is string reason)
                {
                    json.WriteString("reason", reason);
                }

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
