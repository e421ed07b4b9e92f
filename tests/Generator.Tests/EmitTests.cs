using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Cairn.Generator.Tests;

public class EmitTests
{
    [Fact]
    public void Architecture_example_matches_the_approved_host_and_serializers()
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compilation(Sources.Architecture));

        SnapshotAssert.Matches(GeneratorHarness.Source(result, "Campaign.g.cs"), "Architecture.Campaign");
        SnapshotAssert.Matches(GeneratorHarness.Source(result, "Campaign.Serializers.g.cs"), "Architecture.Campaign.Serializers");
        SnapshotAssert.Matches(GeneratorHarness.Source(result, "Campaign.Step.Measure.g.cs"), "Architecture.Campaign.Step.Measure");
    }

    [Theory]
    [InlineData(Sources.Architecture)]
    [InlineData(Sources.RichTypes)]
    public void Generated_code_compiles_without_warnings(string source)
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));

        int steps = System.Text.RegularExpressions.Regex.Matches(source, @"\[Step[,\]( ]").Count;
        Assert.True(result.Results[0].GeneratedSources.Length == 2 + steps, GeneratorHarness.Source(result, "Campaign.g.cs"));
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void Steps_are_ordered_per_point_first_then_topologically_whatever_the_declaration_order()
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compilation("""
            using System.Collections.Generic;
            using Cairn;
            public record P(int I);
            public record A(int V);
            public static class S
            {
                [Step] public static A Total([Input("Second")] IReadOnlyList<A> second) => new(second.Count);
                [Step] public static A Second([Input("First")] A first, P p) => first;
                [Step] public static A First(P p) => new(p.I);
                [Points] public static IEnumerable<P> Points() => [new P(1)];
            }
            """));

        string host = GeneratorHarness.Source(result, "Campaign.g.cs");
        int first = host.IndexOf("StepInfo(\"First\"", System.StringComparison.Ordinal);
        int second = host.IndexOf("StepInfo(\"Second\"", System.StringComparison.Ordinal);
        int total = host.IndexOf("StepInfo(\"Total\"", System.StringComparison.Ordinal);
        Assert.True(first < second && second < total, host);
        Assert.Contains("StepInfo(\"Total\", \"Total\", \"S.Total\", \"A\", global::Cairn.Hosting.StepKind.Global", host);
        Assert.Contains("run.Succeed(global::S.Total(run.List<global::A>(0)));", host);
    }

    [Fact]
    public void Rich_types_map_enums_to_names_nullable_values_arrays_and_initializers()
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compilation(Sources.RichTypes));
        string serializers = GeneratorHarness.Source(result, "Campaign.Serializers.g.cs");
        string host = GeneratorHarness.Source(result, "Campaign.g.cs");

        Assert.Contains("new global::Cairn.Columns.Column<string>(\"Lattice\")", serializers);
        Assert.Contains("_c1.Append(value.Lattice.ToString());", serializers);
        Assert.Contains("global::System.Enum.Parse<global::Physics.Models.Lattice>(_c1[row])", serializers);
        Assert.Contains("new global::Cairn.Columns.Column<double?>(\"Field\")", serializers);
        Assert.Contains("new global::Cairn.Columns.Column<float[]>(\"Levels\")", serializers);
        Assert.Contains("{ Degeneracies = _c1[row], Converged = _c2[row], Flags = _c3[row] }", serializers);
        Assert.DoesNotContain("\"Count\"", serializers);
        Assert.Contains("global::Physics.Models.Campaign1.Levels(point).GetAwaiter().GetResult()", host);
        Assert.Contains("StepInfo(\"levels\", \"Levels\"", host);
        Assert.Contains(", 2, global::Cairn.Generated.StepCode.@levels.Hash, ", host);
        Assert.Contains("StepInfo(\"Recount\", \"count\"", host);
    }

    [Theory]
    [InlineData("[Input(\"nope\")] Wavefunction psi", "step 'Measure' reads product 'nope', which no step outputs")]
    [InlineData("Wavefunction psi", "parameter 'psi' of step 'Measure' is not the point type 'Point' and has no [Input]")]
    [InlineData("[Input(\"psi\")] Observables psi", "has type 'global::Observables' but product 'psi' is a 'global::Wavefunction'")]
    public void A_broken_campaign_gets_a_host_that_fails_the_build_with_the_reason(string parameter, string reason)
    {
        string source = Sources.Architecture.Replace("[Input(\"psi\")] Wavefunction psi", parameter);
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));

        Assert.Single(result.Results[0].GeneratedSources);
        Diagnostic error = Assert.Single(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree!.FilePath.EndsWith("Campaign.g.cs", System.StringComparison.Ordinal));
        Assert.Contains(reason, error.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P[]", "[new P(1)]")]
    [InlineData("System.Collections.Generic.List<P>", "[new P(1)]")]
    [InlineData("System.Collections.Generic.IEnumerable<P>", "[new P(1)]")]
    public void Points_may_come_as_any_enumerable_of_the_point_type(string returnType, string body)
    {
        var (_, output) = GeneratorHarness.Run(GeneratorHarness.Compilation($$"""
            using Cairn;
            public record P(int I);
            public record A(int V);
            public static class S
            {
                [Points] public static {{returnType}} Points() => {{body}};
                [Step] public static A X(P p) => new(p.I);
            }
            """));

        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void A_cycle_is_reported_with_its_steps()
    {
        var (_, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("""
            using System.Collections.Generic;
            using Cairn;
            public record P(int I);
            public record A(int V);
            public static class S
            {
                [Points] public static IEnumerable<P> Points() => [new P(1)];
                [Step] public static A X([Input("Y")] A y, P p) => y;
                [Step] public static A Y([Input("X")] A x, P p) => x;
            }
            """));

        Diagnostic error = Assert.Single(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        Assert.Contains("the steps form a cycle: ", error.GetMessage(), System.StringComparison.Ordinal);
        Assert.Matches("cycle: (X -> Y -> X|Y -> X -> Y)", error.GetMessage());
    }

    [Fact]
    public void A_type_that_cannot_be_stored_names_the_member()
    {
        string source = Sources.Architecture.Replace("public record Observables(double Magnetization, double Gap);",
            "public record Observables(double Magnetization, double Gap) { public System.Collections.Generic.List<int> Extra { get; init; } = new(); }");
        var (_, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));

        Diagnostic error = Assert.Single(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        Assert.Contains("property 'Observables.Extra' has type", error.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_without_steps_gets_nothing()
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compilation("public static class Plain { public static int F() => 1; }"));

        Assert.Empty(result.Results[0].GeneratedSources);
    }

    [Fact]
    public void Generated_sources_have_the_house_header()
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compilation(Sources.Architecture));

        Assert.All(result.Results[0].GeneratedSources, s =>
        {
            string text = s.SourceText.ToString();
            Assert.StartsWith("// <auto-generated/>\n#nullable enable\n", text, System.StringComparison.Ordinal);
            Assert.Contains("[global::System.CodeDom.Compiler.GeneratedCode(\"Cairn.Generator\"", text, System.StringComparison.Ordinal);
        });
        Assert.Equal(
            ["Campaign.g.cs", "Campaign.Serializers.g.cs", "Campaign.Step.Measure.g.cs", "Campaign.Step.Solve.g.cs", "Campaign.Step.Summarize.g.cs"],
            result.Results[0].GeneratedSources.Select(s => s.HintName).Order());
    }
}
