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
    [InlineData(Sources.Grouped)]
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
    public void A_streamed_input_is_marked_in_the_graph_and_read_as_a_stream()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("""
            using System.Collections.Generic;
            using System.Linq;
            using Cairn;
            public record P(int I);
            public record A(int V);
            public static class S
            {
                [Step] public static A First(P p) => new(p.I);
                [Step] public static A Total([Input("First")] IEnumerable<A> all) => new(all.Sum(a => a.V));
                [Points] public static IEnumerable<P> Points() => [new P(1)];
            }
            """));

        string host = GeneratorHarness.Source(result, "Campaign.g.cs");
        Assert.Contains("new global::Cairn.Hosting.StepInput(\"First\", true) { Streamed = true }", host);
        Assert.Contains("run.Succeed(global::S.Total(run.Stream<global::A>(0)));", host);
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void The_programs_a_step_runs_and_its_resources_are_in_its_graph_entry()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation("""
            using System.Collections.Generic;
            using Cairn;
            public record P(int I);
            public record A(string V);
            public static class S
            {
                [Step, Runs("lmp", VersionArguments = "-h", VersionPattern = @"Simulator - (.+)"), Runs("/opt/tools/\"q\".sh"), Resources(Cores = 2, Ranks = 4, MemoryGiB = 1.5)]
                public static A First(P p) => new(ExternalProgram.Run("lmp", ["-in", "in." + p.I]).StandardOutput);
                [Step] public static A Second([Input("First")] A a) => a;
                [Points] public static IEnumerable<P> Points() => [new P(1)];
            }
            """));

        string host = GeneratorHarness.Source(result, "Campaign.g.cs");
        Assert.Contains("Programs = new global::Cairn.Hosting.StepProgram[] { new global::Cairn.Hosting.StepProgram(\"lmp\", \"-h\", \"Simulator - (.+)\"), new global::Cairn.Hosting.StepProgram(\"/opt/tools/\\\"q\\\".sh\", null, null) }", host);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(host, "Programs = "));
        Assert.Contains(", Resources = new global::Cairn.Hosting.StepResources(2, 4, 1.5) },", host);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(host, "Resources = "));
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void A_grouped_step_gets_a_grouping_key_columns_the_list_of_points_and_a_reader_keyed_by_group()
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compilation(Sources.Grouped));
        string host = GeneratorHarness.Source(result, "Campaign.g.cs");
        string serializers = GeneratorHarness.Source(result, "Campaign.Serializers.g.cs");

        Assert.Contains("GroupBy = new string[] { \"L\" }", host);
        Assert.Contains("GroupBy = new string[] { \"Lattice\", \"Model\", \"L\" }", host);
        Assert.Contains("run.Succeed(global::Steps.PerSize(run.List<global::Obs>(0), run.Points<global::Point>()));", host);
        Assert.Contains("run.Succeed(global::Steps.Extrapolate(run.Groups<int, global::Curve>(0), run.Groups<(global::Lattice Lattice, string Model, int L), global::Obs>(1)));", host);
        Assert.Contains("new global::Cairn.Hosting.Grouping<global::Point, int>(", host);
        Assert.Contains("static p => (p.Lattice, p.Model, p.L),", host);
        // Strings in ordinal order, enums by value, then the rest by value: the same order on every machine.
        Assert.Contains("static (a, b) => ((long)a.Lattice).CompareTo((long)b.Lattice) is int cLattice and not 0 ? cLattice : global::System.StringComparer.Ordinal.Compare(a.Model, b.Model) is int cModel and not 0 ? cModel : a.L.CompareTo(b.L));", host);
        Assert.Contains("static (k, w) => { w.Write(unchecked((long)k.Lattice)); w.Write(k.Model); w.Write(k.L); },", host);
        Assert.Contains("public static global::System.Collections.Generic.IReadOnlyDictionary<int, global::Curve> Curves(string store = \"campaign\")", host);
        Assert.Contains("internal sealed class PerKindGroupColumns : global::Cairn.Columns.RecordColumns<(global::Lattice Lattice, string Model, int L)>", serializers);
        Assert.Contains("public override (global::Lattice Lattice, string Model, int L) Get(int row) => (global::System.Enum.Parse<global::Lattice>(_c0[row]), _c1[row], _c2[row]);", serializers);
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
    [InlineData("[Input(\"nope\")] Wavefunction psi")]
    [InlineData("Wavefunction psi")]
    [InlineData("[Input(\"psi\")] ref Wavefunction psi")]
    public void A_broken_campaign_gets_a_stub_host_that_compiles_cleanly_and_does_not_run(string parameter)
    {
        // The analyzers report the mistake (CAIRN001, 006, 009); the generator must add nothing to it:
        // no #error, no error from generated code, and no serializers or step files.
        string source = Sources.Architecture.Replace("[Input(\"psi\")] Wavefunction psi", parameter, System.StringComparison.Ordinal);
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));

        GeneratedSourceResult host = Assert.Single(result.Results[0].GeneratedSources);
        Assert.Equal("Campaign.g.cs", host.HintName);
        Assert.DoesNotContain("#error", host.SourceText.ToString(), System.StringComparison.Ordinal);
        Assert.Contains("this campaign has errors", host.SourceText.ToString(), System.StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void The_stub_host_keeps_run_and_the_readers_of_well_formed_steps_so_that_code_using_them_compiles()
    {
        string source = Sources.Architecture.Replace("[Input(\"psi\")] Wavefunction psi", "[Input(\"nope\")] Wavefunction psi", System.StringComparison.Ordinal);
        const string User = """
            public static class Use
            {
                public static int Main(string[] args) => Campaign.Run(args);
                public static int Count() => Campaign.Results.Psi().Count + Campaign.Results.Points().Count;
                public static double Mean() => Campaign.Results.Summary().MeanGap;
            }
            """;
        var (_, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source, User));

        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void The_stub_host_does_not_run_it_says_which_errors_the_campaign_has()
    {
        // Only reachable when the CAIRN errors were suppressed: Run fails with exit code 1 and the readers throw.
        string source = Sources.Architecture.Replace("[Input(\"psi\")] Wavefunction psi", "[Input(\"nope\")] Wavefunction psi", System.StringComparison.Ordinal);
        var (_, output) = GeneratorHarness.Run(GeneratorHarness.Compilation(source));
        using var image = new System.IO.MemoryStream();
        Assert.True(output.Emit(image).Success);
        var context = new System.Runtime.Loader.AssemblyLoadContext("stub", isCollectible: true);
        try
        {
            System.Type campaign = context.LoadFromStream(new System.IO.MemoryStream(image.ToArray())).GetType("Campaign")!;
            Assert.Equal(ExitCodes.Error, campaign.GetMethod("Run")!.Invoke(null, [System.Array.Empty<string>()]));
            var thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => campaign.GetNestedType("Results")!.GetMethod("Psi")!.Invoke(null, ["campaign"]));
            Assert.IsType<System.InvalidOperationException>(thrown.InnerException);
            Assert.Contains("this campaign has errors (CAIRN001)", thrown.InnerException!.Message, System.StringComparison.Ordinal);
        }
        finally
        {
            context.Unload();
        }
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
