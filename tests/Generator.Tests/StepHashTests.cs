using System.Linq;
using System.Collections.Generic;
using Xunit;

namespace Cairn.Generator.Tests;

/// <summary>What changes a step's provenance hash, each shown on a compiled project.</summary>
public class StepHashTests
{
    private const string Campaign = """
        using System.Collections.Generic;
        using System.Linq;
        using Cairn;

        public record Point(double Coupling, int Size);
        public record Wavefunction(double Energy, double[] Amplitudes);
        public record Observables(double Magnetization, double Gap);

        public static class Hubbard
        {
            [Points]
            public static IEnumerable<Point> Grid() => [new Point(0.1, 8)];

            [Step, Output("psi")]
            public static Wavefunction Solve(Point p) => new(Ground(p), new double[p.Size]);

            [Step(Version = 1), Output("obs")]
            public static Observables Measure([Input("psi")] Wavefunction psi, Point p) => new(psi.Amplitudes.Sum(), psi.Energy / p.Size);

            private static double Ground(Point p) => -Scale() * p.Coupling;

            private static double Scale() => Recurse(2);

            private static double Recurse(int n) => n <= 0 ? 1 : 2 * Recurse(n - 1);
        }
        """;

    private const string Helpers = """
        public static class Numerics
        {
            public static double Half(double x) => x / 2;
        }
        """;

    private static void AssertChanged(string edited, string[] changed, string[] kept, string helpers = Helpers, string? editedHelpers = null)
    {
        Assert.NotEqual(Campaign + helpers, edited + (editedHelpers ?? helpers));
        Dictionary<string, string> before = GeneratorHarness.StepHashes(Campaign, helpers);
        Dictionary<string, string> after = GeneratorHarness.StepHashes(edited, editedHelpers ?? helpers);
        Assert.All(changed, step => Assert.NotEqual(before[step], after[step]));
        Assert.All(kept, step => Assert.Equal(before[step], after[step]));
    }

    [Fact]
    public void Comments_and_whitespace_keep_every_hash()
    {
        string edited = Campaign
            .Replace("private static double Scale() => Recurse(2);", "// the scale\n    private static double Scale()  =>\n        Recurse( 2 ) ; /* two */")
            .Replace("public static Wavefunction Solve(Point p) =>", "/// <summary>Solves.</summary>\n    public static Wavefunction Solve(Point p)   =>");

        AssertChanged(edited, changed: [], kept: ["Solve", "Measure"]);
    }

    [Fact]
    public void A_body_change_of_Measure_changes_Measure_only()
    {
        AssertChanged(Campaign.Replace("psi.Energy / p.Size", "psi.Energy / (2 * p.Size)"), changed: ["Measure"], kept: ["Solve"]);
    }

    [Fact]
    public void A_change_to_a_private_helper_changes_the_step_that_calls_it_even_through_other_helpers()
    {
        AssertChanged(Campaign.Replace("n <= 0 ? 1 : 2 * Recurse(n - 1)", "n <= 0 ? 1 : 3 * Recurse(n - 1)"), changed: ["Solve"], kept: ["Measure"]);
    }

    [Fact]
    public void A_change_to_a_helper_in_another_file_changes_the_step_that_calls_it()
    {
        string calling = Campaign.Replace("-Scale() * p.Coupling", "-Numerics.Half(Scale()) * p.Coupling");
        Dictionary<string, string> before = GeneratorHarness.StepHashes(calling, Helpers);
        Dictionary<string, string> after = GeneratorHarness.StepHashes(calling, Helpers.Replace("x / 2", "x / 4"));

        Assert.NotEqual(before["Solve"], after["Solve"]);
        Assert.Equal(before["Measure"], after["Measure"]);
    }

    [Fact]
    public void Adding_a_property_to_an_output_record_changes_the_producing_step()
    {
        string edited = Campaign.Replace("public record Observables(double Magnetization, double Gap);", "public record Observables(double Magnetization, double Gap, double Entropy = 0);");

        AssertChanged(edited, changed: ["Measure"], kept: ["Solve"]);
    }

    [Theory]
    [InlineData("[Step(TimeoutSeconds = 30), Output(\"psi\")]", "[Step(Version = 1), Output(\"obs\")]")]
    [InlineData("[Step( TimeoutSeconds = 0.5 ), Output(\"psi\")]", "[Step(Version = 1, TimeoutSeconds = 30), Output(\"obs\")]")]
    [InlineData("[Step, Output(\"psi\")]", "[Step(TimeoutSeconds = 30, Version = 1), Output(\"obs\")]")]
    public void A_time_limit_changes_no_hash(string solve, string measure) => AssertSameHashes(solve, measure);

    [Theory]
    [InlineData("[Step, Resources(Cores = 4), Output(\"psi\")]", "[Step(Version = 1), Output(\"obs\")]")]
    [InlineData("[Step, Output(\"psi\")][Resources(Ranks = 2, MemoryGiB = 1.5)]", "[Resources(Cores = 2), Step(Version = 1), Output(\"obs\")]")]
    [InlineData("[Step, Output(\"psi\"), Cairn.Resources(Ranks = 8)]", "[Step(Version = 1), Output(\"obs\")]")]
    public void Resources_change_no_hash(string solve, string measure) => AssertSameHashes(solve, measure);

    /// <summary>The campaign with Solve's and Measure's attributes replaced has the same step hashes.</summary>
    private static void AssertSameHashes(string solve, string measure)
    {
        string edited = Campaign
            .Replace("[Step, Output(\"psi\")]", solve, System.StringComparison.Ordinal)
            .Replace("[Step(Version = 1), Output(\"obs\")]", measure, System.StringComparison.Ordinal);
        Assert.NotEqual(Campaign, edited);
        Assert.Equal(GeneratorHarness.StepHashes(Campaign, Helpers), GeneratorHarness.StepHashes(edited, Helpers));
    }

    [Fact]
    public void A_time_limit_is_the_steps_own_in_the_graph()
    {
        string limited = Campaign.Replace("[Step(Version = 1)", "[Step(Version = 1, TimeoutSeconds = 2.5)", System.StringComparison.Ordinal);
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(limited, Helpers));
        Assert.Empty(GeneratorHarness.Problems(output));
        string graph = string.Concat(result.Results[0].GeneratedSources.Select(s => s.SourceText.ToString()));
        Assert.Contains("Timeout = global::System.TimeSpan.FromSeconds(2.5)", graph, System.StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(graph, "Timeout = "));
    }

    [Fact]
    public void Bumping_the_version_changes_the_hash()
    {
        AssertChanged(Campaign.Replace("[Step(Version = 1), Output(\"obs\")]", "[Step(Version = 2), Output(\"obs\")]"), changed: ["Measure"], kept: ["Solve"]);
    }

    [Fact]
    public void The_stored_source_keeps_interpolated_strings_as_written_and_trivia_in_their_holes_keeps_the_hash()
    {
        string written = "$\"lattice blew up at T={p.Coupling:F2}, E={psi.Energy,8} of {p.Size}\"";
        string campaign = Campaign.Replace("=> new(psi.Amplitudes.Sum(), psi.Energy / p.Size);",
            $"=> psi.Energy > 0 ? throw new System.InvalidOperationException({written}) : new(psi.Amplitudes.Sum(), psi.Energy / p.Size);");
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(campaign, Helpers));
        Assert.Empty(GeneratorHarness.Problems(output));

        string measure = GeneratorHarness.Source(result, "Campaign.Step.Measure.g.cs");
        Assert.Contains(written.Replace("\"", "\\\"", System.StringComparison.Ordinal), measure, System.StringComparison.Ordinal);
        Assert.Equal(GeneratorHarness.StepHashes(campaign, Helpers)["Measure"], GeneratorHarness.StepHashes(campaign.Replace("{p.Size}", "{ p.Size }", System.StringComparison.Ordinal), Helpers)["Measure"]);
    }

    [Fact]
    public void A_change_to_an_unused_method_changes_no_hash()
    {
        string edited = Campaign.Replace("private static double Scale()", "private static double Unused() => 7;\n    private static double Scale()");

        AssertChanged(edited, changed: [], kept: ["Solve", "Measure"]);
    }
}
