using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Cairn.Generator.Tests;

/// <summary>Named edit scenarios: what an edit may and may not make the generator redo.</summary>
public class IncrementalityTests
{
    private const string Unrelated = """
        public static class Helpers
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    private static (GeneratorDriverRunResult Second, string Before, string After) Edit(string file0, string file0Edited, string file1 = Unrelated, string? file1Edited = null)
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(file0, file1);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        string before = string.Join("\n", driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()));

        CSharpCompilation edited = compilation
            .ReplaceSyntaxTree(compilation.SyntaxTrees[0], compilation.SyntaxTrees[0].WithChangedText(SourceText.From(file0Edited)))
            .ReplaceSyntaxTree(compilation.SyntaxTrees[1], compilation.SyntaxTrees[1].WithChangedText(SourceText.From(file1Edited ?? file1)));
        driver = driver.RunGenerators(edited);
        GeneratorDriverRunResult second = driver.GetRunResult();
        return (second, before, string.Join("\n", second.GeneratedTrees.Select(t => t.ToString())));
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorDriverRunResult result, string step) =>
        result.Results[0].TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    private static IncrementalStepRunReason[] OutputReasons(GeneratorDriverRunResult result) =>
        result.Results[0].TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    [Fact]
    public void Editing_an_unrelated_file_leaves_every_output_cached()
    {
        var (second, before, after) = Edit(Sources.Architecture, Sources.Architecture, Unrelated, Unrelated.Replace("2 * x", "3 * x"));

        Assert.All(Reasons(second, TrackingNames.Model), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(OutputReasons(second), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.Equal(before, after);
    }

    [Fact]
    public void A_comment_or_reformat_inside_a_step_changes_no_output()
    {
        string edited = Sources.Architecture.Replace(
            "public static Wavefunction Solve(Point p) => new(-p.Coupling * p.Size, new double[p.Size]);",
            "public static Wavefunction Solve(Point p) =>\n        // the trivial solver\n        new(  -p.Coupling*p.Size, new double[ p.Size ]);");
        Assert.NotEqual(Sources.Architecture, edited);

        var (second, before, after) = Edit(Sources.Architecture, edited);

        Assert.Contains(IncrementalStepRunReason.Unchanged, Reasons(second, TrackingNames.Steps));
        Assert.All(Reasons(second, TrackingNames.Model), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(OutputReasons(second), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.Equal(before, after);
    }

    [Fact]
    public void A_body_change_in_one_step_rehashes_and_reemits_that_step_only()
    {
        string edited = Sources.Architecture.Replace("psi.Energy / p.Size", "psi.Energy / (2 * p.Size)");
        CSharpCompilation compilation = GeneratorHarness.Compilation(Sources.Architecture, Unrelated);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGenerators(compilation);
        GeneratorDriverRunResult first = driver.GetRunResult();

        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees[0], compilation.SyntaxTrees[0].WithChangedText(SourceText.From(edited))));
        GeneratorDriverRunResult second = driver.GetRunResult();

        // The step models: Measure's changed, the others' are equal to before.
        IncrementalStepRunReason[] steps = Reasons(second, TrackingNames.Steps);
        Assert.Equal(1, steps.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.All(steps.Where(r => r != IncrementalStepRunReason.Modified), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));

        // The graph sees steps without their code: unchanged, so the host is not emitted again.
        Assert.All(Reasons(second, TrackingNames.GraphSteps), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(second, TrackingNames.Model), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));

        // One output ran again: Measure's file. Every other output is cached.
        IncrementalStepRunReason[] outputs = OutputReasons(second);
        Assert.Equal(1, outputs.Count(r => r != IncrementalStepRunReason.Cached));
        Assert.Equal(GeneratorHarness.Source(first, "Campaign.g.cs"), GeneratorHarness.Source(second, "Campaign.g.cs"));
        Assert.Equal(GeneratorHarness.Source(first, "Campaign.Step.Solve.g.cs"), GeneratorHarness.Source(second, "Campaign.Step.Solve.g.cs"));
        Assert.NotEqual(GeneratorHarness.Source(first, "Campaign.Step.Measure.g.cs"), GeneratorHarness.Source(second, "Campaign.Step.Measure.g.cs"));
        Dictionary<string, string> before = GeneratorHarness.StepHashes(first);
        Dictionary<string, string> after = GeneratorHarness.StepHashes(second);
        Assert.Equal(before["Solve"], after["Solve"]);
        Assert.NotEqual(before["Measure"], after["Measure"]);
        Assert.Equal(before["Summarize"], after["Summarize"]);
    }

    [Fact]
    public void The_stored_source_is_the_normalized_code_the_hash_covers()
    {
        string commented = Sources.Architecture.Replace(
            "public static Observables Measure(",
            "// measures the gap\n            public   static Observables   Measure(");
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compilation(commented));

        string measure = GeneratorHarness.Source(result, "Campaign.Step.Measure.g.cs");
        Assert.Contains("Source = \"[Step, Output(\\\"obs\\\")]\\npublic static Observables Measure([Input(\\\"psi\\\")] Wavefunction psi, Point p) => ", measure);
        Assert.DoesNotContain("measures the gap", measure);
        // The positional records it constructs are part of it, as the hash covers them.
        Assert.Contains("// uses Observables.Observables(double, double)\\npublic record Observables(double Magnetization, double Gap);", measure);
    }
}
