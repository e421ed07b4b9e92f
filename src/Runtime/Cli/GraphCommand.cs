using System.IO;
using System.Linq;
using Cairn.Hosting;

namespace Cairn.Cli;

/// <summary><c>graph</c>: the steps and products, as text or as a Mermaid flowchart.</summary>
internal static class GraphCommand
{
    public static int Execute(CampaignGraph graph, CommandLine line, TextWriter stdout)
    {
        if (line.Choice("--format") == "mermaid")
        {
            WriteMermaid(graph, stdout);
        }
        else
        {
            WriteText(graph, stdout);
        }

        return ExitCodes.Success;
    }

    private static string Inputs(StepInfo step) =>
        string.Join(", ", (step.UsesPoint ? new[] { step.Kind == StepKind.PerPoint ? "point" : "points[]" } : []).Concat(step.Inputs.Select(i => i.IsList ? i.Product + "[]" : i.Product)));

    /// <summary>How often a step runs: per point, once, or once per group of points (<c>per Size</c>).</summary>
    private static string Runs(StepInfo step) =>
        step.Kind == StepKind.PerPoint ? "per point" : step.IsGrouped ? "per " + string.Join(", ", step.GroupBy) : "once";

    private static void WriteText(CampaignGraph graph, TextWriter stdout)
    {
        stdout.WriteLine($"campaign {graph.Name}, points of type {graph.PointType}");
        var table = new TextTable("step", "inputs", "product", "type", "runs", "code");
        foreach (StepInfo step in graph.Steps)
        {
            table.Add(step.Name, Inputs(step), step.Product, step.OutputType, Runs(step), step.CodeHash[..12]);
        }

        table.WriteTo(stdout);
    }

    private static void WriteMermaid(CampaignGraph graph, TextWriter stdout)
    {
        stdout.WriteLine("flowchart LR");
        stdout.WriteLine($"    points[/\"points: {graph.PointType}\"/]");
        for (int i = 0; i < graph.Steps.Count; i++)
        {
            StepInfo step = graph.Steps[i];
            string shape = step.Kind == StepKind.PerPoint ? $"[\"{step.Name}\"]" : step.IsGrouped ? $"[[\"{step.Name}, {Runs(step)}\"]]" : $"[[\"{step.Name}\"]]";
            stdout.WriteLine($"    s{i}{shape}");
            if (step.UsesPoint)
            {
                stdout.WriteLine($"    points --> s{i}");
            }

            for (int j = 0; j < step.Inputs.Count; j++)
            {
                StepInput input = step.Inputs[j];
                string label = input.IsList ? input.Product + "[]" : input.Product;
                stdout.WriteLine($"    s{graph.InputSteps[i][j]} -->|\"{label}\"| s{i}");
            }

            stdout.WriteLine($"    s{i} --> p{i}([\"{step.Product}: {step.OutputType}\"])");
        }
    }
}
