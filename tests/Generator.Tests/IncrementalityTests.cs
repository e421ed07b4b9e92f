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
    public void A_body_change_in_one_step_changes_only_that_steps_hash()
    {
        string edited = Sources.Architecture.Replace("psi.Energy / p.Size", "psi.Energy / (2 * p.Size)");

        var (second, before, after) = Edit(Sources.Architecture, edited);

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second, TrackingNames.Model));
        string[] beforeHashes = Hashes(before);
        string[] afterHashes = Hashes(after);
        Assert.Equal(beforeHashes[0], afterHashes[0]);
        Assert.NotEqual(beforeHashes[1], afterHashes[1]);
        Assert.Equal(beforeHashes[2], afterHashes[2]);
    }

    private static string[] Hashes(string generated) =>
        System.Text.RegularExpressions.Regex.Matches(generated, "\"([0-9a-f]{32})\"").Select(m => m.Groups[1].Value).ToArray();
}
