using System;
using System.Threading.Tasks;
using Xunit;

namespace Cairn.Analyzers.Tests;

/// <summary>Each code fix turns the wrong case into code with no diagnostic, changing only what it must.</summary>
public class CodeFixTests
{
    [Fact]
    public async Task CAIRN005_makes_the_step_static()
    {
        string fixedSource = await AnalyzerHarness.FixAsync(Wrong("CAIRN005"), "Make step 'Solve' static");

        Assert.Equal(Wrong("CAIRN005").Replace("public Psi Solve", "public static Psi Solve", StringComparison.Ordinal), fixedSource);
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compilation(fixedSource)));
    }

    [Fact]
    public async Task CAIRN005_puts_static_first_when_the_step_has_no_modifier()
    {
        string wrong = Cases.Campaign(solve: "[Step, Output(\"psi\")]\n    Psi Solve(Point p) => new(p.U, [1.0]);", kind: "class");
        string fixedSource = await AnalyzerHarness.FixAsync(wrong.Replace("Psi Solve(", "internal Psi Solve(", StringComparison.Ordinal), "Make step 'Solve' static");

        Assert.Contains("\n    internal static Psi Solve(Point p)", fixedSource, StringComparison.Ordinal);
        string bare = await AnalyzerHarness.FixAsync(
            Cases.Campaign(solve: "[Step, Output(\"psi\")] internal Psi Solve(Point p) => new(p.U, [1.0]);", kind: "class").Replace("internal Psi", "Psi", StringComparison.Ordinal).Replace("public class Steps", "internal class Steps", StringComparison.Ordinal),
            "Make step 'Solve' static");
        Assert.Contains("[Step, Output(\"psi\")] static Psi Solve(Point p)", bare, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CAIRN006_marks_the_parameter_input_of_the_one_product_of_its_type()
    {
        string fixedSource = await AnalyzerHarness.FixAsync(Wrong("CAIRN006"), "Read product 'psi' with [Input(\"psi\")]");

        Assert.Equal(Cases.ById["CAIRN006"].Right, fixedSource);
    }

    [Fact]
    public async Task CAIRN001_reads_the_product_the_name_was_meant_to_be()
    {
        string fixedSource = await AnalyzerHarness.FixAsync(Wrong("CAIRN001"), "Read product 'psi'");

        Assert.Equal(Cases.ById["CAIRN001"].Right, fixedSource);
    }

    [Fact]
    public async Task CAIRN001_adds_the_product_to_an_input_named_by_its_parameter()
    {
        string wrong = Cases.Campaign(measure: "[Step, Output(\"obs\")] public static Obs Measure([Input] Psi pis, Point p) => new(pis.E);");
        string fixedSource = await AnalyzerHarness.FixAsync(wrong, "Read product 'psi'");

        Assert.Contains("Measure([Input(\"psi\")] Psi pis, Point p)", fixedSource, StringComparison.Ordinal);
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compilation(fixedSource)));
    }

    [Theory]
    [InlineData("new Random()", "new Random(Campaign.Seed(p))", "")]
    [InlineData("new System.Random()", "new System.Random(Campaign.Seed(p))", "")]
    [InlineData("Random.Shared", "new System.Random(Campaign.Seed(p))", "")]
    [InlineData("new Random()", "new Random(p.Seed)", ", int Seed = 7")]
    [InlineData("new Random()", "new Random(unchecked((int)p.Seed))", ", long Seed = 7")]
    public async Task CAIRN011_seeds_the_random_from_the_point(string unseeded, string seeded, string seedProperty)
    {
        // A different stream for every point, the same for a point on every run: its own Seed, else a stable hash of it.
        const string Solve = "[Step, Output(\"psi\")] public static Psi Solve(Point p) => new(p.U * RANDOM.NextDouble(), [1.0]);";
        // The generated host's Campaign.Seed, which these compilations (analyzers only) do not generate.
        string types = Cases.Types.Replace("Point(double U, int L)", $"Point(double U, int L{seedProperty})", StringComparison.Ordinal)
            + "\npublic static partial class Campaign { public static int Seed(Point p) => 0; }";
        string fixedSource = await AnalyzerHarness.FixAsync(Cases.Campaign(solve: Solve.Replace("RANDOM", unseeded, StringComparison.Ordinal), types: types), "Seed the Random from the point");

        Assert.Equal(Cases.Campaign(solve: Solve.Replace("RANDOM", seeded, StringComparison.Ordinal), types: types), fixedSource);
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compilation(fixedSource)));
    }

    [Fact]
    public async Task CAIRN011_offers_no_seed_in_a_helper_that_does_not_receive_the_point()
    {
        string helper = Cases.Campaign(
            solve: "[Step, Output(\"psi\")] public static Psi Solve(Point p) => new(p.U * Noise(), [1.0]);",
            more: "private static double Noise() => new Random().NextDouble();");

        Assert.Equal(0, await AnalyzerHarness.CountFixesAsync(helper));
    }

    [Fact]
    public async Task No_fix_is_offered_where_none_is_known()
    {
        // Two steps output a Psi, so the fix cannot know which one the parameter reads; a clock has no seed.
        string ambiguous = Cases.Campaign(
            measure: "[Step, Output(\"obs\")] public static Obs Measure(Psi psi, Point p) => new(psi.E);",
            more: "[Step(Final = true), Output(\"guess\")] public static Psi Guess(Point p) => new(0, [p.U]);");
        string clock = Cases.Campaign(solve: "[Step, Output(\"psi\")] public static Psi Solve(Point p) => new(DateTime.Now.Second, [1.0]);");

        Assert.Equal(0, await AnalyzerHarness.CountFixesAsync(ambiguous));
        Assert.Equal(0, await AnalyzerHarness.CountFixesAsync(clock));
        Assert.Equal(1, await AnalyzerHarness.CountFixesAsync(Wrong("CAIRN006")));
    }

    private static string Wrong(string id) => AnalyzerHarness.Unmark(Cases.ById[id].Wrong).Source;
}
