using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Cairn.Analyzers.Tests;

/// <summary>The variants of each rule, and that each message says what is wrong and what to do.</summary>
public class MessageTests
{
    [Fact]
    public async Task CAIRN001_suggests_the_nearest_product_only_when_one_is_near()
    {
        Diagnostic near = Single(await AnalyzerHarness.VerifyAsync(Cases.ById["CAIRN001"].Wrong, "CAIRN001"));
        Assert.Equal("Step 'Measure' reads product 'psy', which no step outputs; did you mean 'psi'?", Message(near));
        Assert.Equal("psi", near.Properties[CampaignAnalyzer.ProductProperty]);

        Diagnostic far = Single(await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(measure: "[Step, Output(\"obs\")] public static Obs Measure([Input([|\"wavefunction\"|])] Psi psi, Point p) => new(psi.E);"), "CAIRN001"));
        Assert.Equal("Step 'Measure' reads product 'wavefunction', which no step outputs; name a product that a step outputs (its [Output(\"...\")], else the step method's name)", Message(far));
        Assert.False(far.Properties.ContainsKey(CampaignAnalyzer.ProductProperty));
    }

    [Fact]
    public async Task CAIRN003_says_which_type_to_declare_for_per_point_lists_and_once_computed_products()
    {
        Diagnostic wrongElement = Single(await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(summarize: "[Step, Output(\"summary\")] public static Summary Summarize([Input(\"obs\")] [|IReadOnlyList<Psi>|] all) => new(0, all.Count);"), "CAIRN003"));
        Assert.Equal("Parameter 'all' of step 'Summarize' has type 'IReadOnlyList<Psi>', but product 'obs' is a 'Obs' per point; declare the parameter as 'IReadOnlyList<Obs>'", Message(wrongElement));

        Diagnostic listOfOnce = Single(await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(more: "[Step, Output(\"report\")] public static Summary Report([Input(\"summary\")] [|IReadOnlyList<Summary>|] all) => all[0];"), "CAIRN003"));
        Assert.Equal("Parameter 'all' of step 'Report' has type 'IReadOnlyList<Summary>', but product 'summary' is one 'Summary' computed once; declare the parameter as 'Summary'", Message(listOfOnce));
    }

    [Fact]
    public async Task CAIRN004_lists_the_cycle_as_data_flows_and_points_at_every_step_of_it()
    {
        Diagnostic cycle = Single(await AnalyzerHarness.VerifyAsync(Cases.ById["CAIRN004"].Wrong, "CAIRN004"));

        Assert.Equal("The steps form a cycle: Measure -> Solve -> Measure; a step cannot read, directly or through other steps, its own product", Message(cycle));
        Location other = Assert.Single(cycle.AdditionalLocations);
        Assert.Equal("Measure", other.SourceTree!.GetText().ToString(other.SourceSpan));
    }

    [Fact]
    public async Task CAIRN005_reports_instance_generic_private_and_hidden_steps_at_their_names()
    {
        var diagnostics = await AnalyzerHarness.VerifyAsync(Cases.Campaign(kind: "class", more: """
            [Step(Final = true)] public Obs [|Instance|](Point p) => new(p.U);
                [Step(Final = true)] public static T [|Generic|]<T>(Point p) => default!;
                [Step(Final = true)] private static Obs [|Hidden|](Point p) => new(p.U);
                private static class Inner { [Step(Final = true)] public static Obs [|Nested|](Point p) => new(p.U); }
            """), "CAIRN005");

        Assert.Equal(
            ["Step 'Instance' is not static; make it a non-generic static method that is public or internal, in a public or internal type",
             "Step 'Generic' is generic; make it a non-generic static method that is public or internal, in a public or internal type",
             "Step 'Hidden' is not accessible from the generated host; make it a non-generic static method that is public or internal, in a public or internal type",
             "Step 'Nested' is not accessible from the generated host; make it a non-generic static method that is public or internal, in a public or internal type"],
            diagnostics.Select(Message));
    }

    [Fact]
    public async Task CAIRN006_names_the_product_of_the_parameters_type()
    {
        Diagnostic unbound = Single(await AnalyzerHarness.VerifyAsync(Cases.ById["CAIRN006"].Wrong, "CAIRN006"));

        Assert.Equal("Parameter 'psi' of step 'Measure' is neither the point type 'Point' nor marked [Input]; mark it [Input(\"psi\")] to read the 'Psi' that step 'Solve' outputs", Message(unbound));
    }

    [Fact]
    public async Task CAIRN007_names_the_member_and_its_type_for_outputs_and_points()
    {
        Diagnostic output = Single(await AnalyzerHarness.VerifyAsync(Cases.ById["CAIRN007"].Wrong, "CAIRN007"));
        Assert.Equal("The output type cannot be stored: property 'Obs.Extra' has type 'List<int>'; use numbers, bool, string, DateTime, enums, Complex, 1-D arrays of them or 2-D arrays of numbers", Message(output));

        Diagnostic point = Single(await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(grid: "[Points] public static [|IEnumerable<Point>|] Grid() => [new Point(1, 2)];",
                types: Cases.Types.Replace("public record Point(double U, int L);", "public record Point(double U, int L, object Tag);", System.StringComparison.Ordinal))
                .Replace("new Point(1, 2)", "new Point(1, 2, \"\")", System.StringComparison.Ordinal),
            "CAIRN007"));
        Assert.Equal("The point type cannot be stored: property 'Point.Tag' has type 'object'; use numbers, bool, string, DateTime, enums, Complex, 1-D arrays of them or 2-D arrays of numbers", Message(point));
    }

    [Fact]
    public async Task CAIRN007_asks_for_an_hdf5_container_for_complex_numbers_and_matrices_and_keeps_them_out_of_points()
    {
        string types = Cases.Types.Replace("public record Psi(double E, double[] A);", "public record Psi(double E, double[] A, System.Numerics.Complex[] C, double[,] M);", System.StringComparison.Ordinal);
        string solve = "[Step, Output(\"psi\"{0})] public static [|Psi|] Solve(Point p) => new(p.U, [1.0], [], new double[1, 1]);";
        Diagnostic output = Single(await AnalyzerHarness.VerifyAsync(Cases.Campaign(solve: string.Format(System.Globalization.CultureInfo.InvariantCulture, solve, ""), types: types), "CAIRN007"));
        Assert.Equal("The output type cannot be stored: property 'Psi.C' has type 'Complex[]', which only HDF5 stores; declare [Output(\"psi\", Container = Container.Hdf5)]", Message(output));

        string right = Cases.Campaign(solve: string.Format(System.Globalization.CultureInfo.InvariantCulture, solve, ", Container = Container.Hdf5").Replace("[|Psi|]", "Psi", System.StringComparison.Ordinal), types: types);
        Assert.Empty(await AnalyzerHarness.VerifyAsync(right, "CAIRN007"));

        Diagnostic point = Single(await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(grid: "[Points] public static [|IEnumerable<Point>|] Grid() => [new Point(1, 2)];",
                types: Cases.Types.Replace("public record Point(double U, int L);", "public record Point(double U, int L, double[,]? M = null);", System.StringComparison.Ordinal)),
            "CAIRN007"));
        Assert.Equal("The point type cannot be stored: property 'Point.M' has type 'double[,]?', which only HDF5 products store, not points; give the point the parameters it is computed from", Message(point));
    }

    [Theory]
    [InlineData("[Points] public static IEnumerable<Point> Grid() => [new Point(1, 2)];", "[Step, Output(\"psi\")] public static Psi [|Solve|](Point p) => new(p.U, [1.0]);", "The campaign has [Step] methods but no [Points] method")]
    [InlineData("[Points] public static [|Point|] Grid() => new Point(1, 2);", null, "The [Points] method 'Grid' returns 'Point', which is not an IEnumerable<T>")]
    [InlineData("[Points] public static IEnumerable<Point> [|Grid|](int n) => [new Point(n, 2)];", null, "The [Points] method 'Grid' has parameters")]
    public async Task CAIRN010_reports_a_missing_or_malformed_points_method(string grid, string? solve, string problem)
    {
        // Without any [Points] method, the diagnostic goes on the first step.
        string source = solve is null ? Cases.Campaign(grid: grid) : Cases.Campaign(grid: null, solve: solve);
        Diagnostic diagnostic = Single(await AnalyzerHarness.VerifyAsync(source, "CAIRN010"));

        Assert.StartsWith(problem + "; a campaign needs exactly one [Points] method", Message(diagnostic), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[|DateTime.Now|].Second", "'DateTime.Now'")]
    [InlineData("[|DateTimeOffset.UtcNow|].Second", "'DateTimeOffset.UtcNow'")]
    [InlineData("[|System.Diagnostics.Stopwatch.GetTimestamp()|]", "'Stopwatch.GetTimestamp()'")]
    [InlineData("[|new System.Diagnostics.Stopwatch()|].ElapsedTicks", "'Stopwatch'")]
    [InlineData("[|Environment.TickCount|]", "'Environment.TickCount'")]
    [InlineData("[|Guid.NewGuid()|].GetHashCode()", "'Guid.NewGuid()'")]
    [InlineData("[|Random.Shared|].NextDouble()", "'Random.Shared'")]
    [InlineData("[|new Random()|].NextDouble()", "'new Random()' without a seed")]
    [InlineData("[|System.IO.File.ReadAllText(\"u.txt\")|].Length", "the file system ('File.ReadAllText()')")]
    [InlineData("[|System.IO.Directory.GetFiles(\".\")|].Length", "the file system ('Directory.GetFiles()')")]
    [InlineData("[|new System.IO.StreamReader(\"u.txt\")|].Peek()", "the file system ('new StreamReader(path)')")]
    [InlineData("[|System.Diagnostics.Process.Start(\"lmp\")|]!.Id", "a program ('Process.Start()')")]
    public async Task CAIRN011_reports_each_non_deterministic_api(string use, string what)
    {
        Diagnostic diagnostic = Single(await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(solve: $"[Step, Output(\"psi\")] public static Psi Solve(Point p) => new(p.U * {use}, [1.0]);"), "CAIRN011"));

        Assert.StartsWith($"Step 'Solve' uses {what}, which differs from run to run", Message(diagnostic), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task CAIRN011_follows_the_steps_callees_and_reports_each_use_once_where_it_is()
    {
        // Noise is called by two steps (through Jitter for one of them) and reported once, in Noise;
        // Unused is called by no step and not reported.
        var diagnostics = await AnalyzerHarness.VerifyAsync(Cases.Campaign(
            solve: "[Step, Output(\"psi\")] public static Psi Solve(Point p) => new(p.U + Numerics.Jitter(), [1.0]);",
            measure: "[Step, Output(\"obs\")] public static Obs Measure([Input(\"psi\")] Psi psi, Point p) => new(psi.E + Numerics.Noise());",
            types: Cases.Types + """

                public static class Numerics
                {
                    public static double Jitter() => Noise() / 2;
                    public static double Noise() => [|DateTime.UtcNow|].Millisecond;
                    public static double Unused() => DateTime.UtcNow.Millisecond;
                }
                """), "CAIRN011");

        Assert.StartsWith("Step 'Solve' (through 'Numerics.Noise') uses 'DateTime.UtcNow'", Message(Single(diagnostics)), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task CAIRN011_reports_a_program_run_by_name_that_the_step_reaching_it_does_not_declare()
    {
        // Relax declares lmp and runs it; Solve and Measure reach Lammps.Run, and Solve declares
        // only pw.x: reported once, for Solve, where the program is run. A program given by a
        // variable cannot be told at build time, and is not reported.
        var diagnostics = await AnalyzerHarness.VerifyAsync(Cases.Campaign(
            solve: "[Step, Runs(\"pw.x\"), Output(\"psi\")] public static Psi Solve(Point p) => new(Lammps.Run(p.U), [ExternalProgram.Run(\"pw.x\").Elapsed.TotalSeconds]);",
            measure: "[Step, Output(\"obs\")] public static Obs Measure([Input(\"psi\")] Psi psi, Point p) => new(Lammps.Run(psi.E) + Lammps.Any(\"cp2k\"));",
            more: "[Step(Final = true), Runs(\"lmp\"), Output(\"relaxed\")] public static Obs Relax(Point p) => new(Lammps.Run(p.U));",
            types: Cases.Types + """

                public static class Lammps
                {
                    public static double Run(double t) => [|ExternalProgram.Run("lmp", ["-var", "t", t.ToString()])|].StandardOutput.Length;
                    public static double Any(string program) => ExternalProgram.Run(program).StandardOutput.Length;
                }
                """), "CAIRN011");

        Assert.StartsWith("Step 'Solve' (through 'Lammps.Run') uses the program 'lmp', which it does not declare, ", Message(Single(diagnostics)), System.StringComparison.Ordinal);
        Assert.EndsWith("; add [Runs(\"lmp\")] to the step, which hashes the program's file into its key (without it the run refuses to start the program)", Message(Single(diagnostics)), System.StringComparison.Ordinal);

        // Every step that reaches it declares it: nothing.
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compilation(Cases.Campaign(
            solve: "[Step, Runs(\"lmp\"), Output(\"psi\")] public static Psi Solve(Point p) => new(ExternalProgram.Run(\"lmp\").Elapsed.TotalSeconds, [1.0]);"))));
    }

    [Fact]
    public async Task CAIRN011_checks_lambdas_and_local_functions_in_a_step()
    {
        await AnalyzerHarness.VerifyAsync(Cases.Campaign(solve: """
            [Step, Output("psi")] public static Psi Solve(Point p)
                {
                    Func<double> f = () => [|Random.Shared|].NextDouble();
                    double Local() => [|Guid.NewGuid()|].GetHashCode();
                    return new(f() + Local(), [1.0]);
                }
            """), "CAIRN011");
    }

    [Fact]
    public async Task CAIRN012_reports_static_writes_in_steps_and_callees_by_assignment_and_by_ref_but_not_in_static_constructors()
    {
        var diagnostics = await AnalyzerHarness.VerifyAsync(Cases.Campaign(
            solve: "[Step, Output(\"psi\")] public static Psi Solve(Point p) { Counters.Count(); [|Counters.Last|] = p.U; return new(p.U, [1.0]); }",
            types: Cases.Types + """

                public static class Counters
                {
                    private static int s_calls;
                    private static readonly double[] s_table;
                    static Counters() { s_table = new double[4]; s_calls = 0; }
                    public static double Last { get; set; }
                    public static void Count() { System.Threading.Interlocked.Increment(ref [|s_calls|]); _ = s_table; }
                }
                """), "CAIRN012");

        Assert.Equal(
            ["Step 'Solve' writes static property 'Counters.Last', so its result can depend on which points ran before it in the same process; keep the state local to the call, or return it",
             "Step 'Solve' (through 'Counters.Count') writes static field 'Counters.s_calls', so its result can depend on which points ran before it in the same process; keep the state local to the call, or return it"],
            diagnostics.OrderBy(d => d.GetMessage(CultureInfo.InvariantCulture).Length).Select(Message));
    }

    [Fact]
    public async Task CAIRN013_names_both_methods()
    {
        Diagnostic diagnostic = Single(await AnalyzerHarness.VerifyAsync(Cases.ById["CAIRN013"].Wrong, "CAIRN013"));

        Assert.Equal("Steps 'Steps.Solve' and 'Steps.Measure' are both named 'Solve'; give one of them another [Step(Name = \"...\")]", Message(diagnostic));
    }

    [Theory]
    [InlineData("[Step(Final = true, Name = [|\"energy step\"|]), Output(\"energy\")]", "The step name 'energy step' contains the character U+0020")]
    [InlineData("[Step(Final = true, Name = [|\".hidden\"|]), Output(\"energy\")]", "The step name '.hidden' starts with '.'")]
    [InlineData("[Step(Final = true), Output([|\"a/b\"|])]", "The product name 'a/b' contains the path separator '/'")]
    [InlineData("[Step(Final = true), Output([|\"\"|])]", "The product name '' is empty")]
    [InlineData("[Step(Final = true), Output([|\"x%y\"|])]", "The product name 'x%y' contains '%'")]
    public async Task CAIRN018_says_what_is_wrong_with_the_name(string attributes, string message)
    {
        string energy = attributes + " public static Obs Energy([Input(\"psi\")] Psi psi) => new(psi.E);";

        Diagnostic diagnostic = Single(await AnalyzerHarness.VerifyAsync(Cases.Campaign(more: energy), "CAIRN018"));

        Assert.Equal(message + "; use letters, digits, '_', '-' and '.' (not first), at most 100 characters", Message(diagnostic));
    }

    [Theory]
    [InlineData("[Step, Output(\"summary\")] public static Summary [|Summarize|]() => new(0, 0);", "takes no parameter, so it has nothing to run on")]
    [InlineData("[Step, Output(\"summary\")] public static Summary [|Summarize|]([Input(\"obs\")] IReadOnlyList<Obs> all, [Input(\"psi\")] Psi psi) => new(psi.E, all.Count);", "mixes list inputs (which make it run once) with per-point inputs")]
    public async Task CAIRN015_says_why_the_inputs_do_not_fit(string summarize, string why)
    {
        Diagnostic diagnostic = Single(await AnalyzerHarness.VerifyAsync(Cases.Campaign(summarize: summarize), "CAIRN015"));

        Assert.StartsWith($"Step 'Summarize' {why}; a step runs per point", Message(diagnostic), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task CAIRN015_a_per_point_step_may_not_read_a_once_computed_product_yet()
    {
        Diagnostic diagnostic = Single(await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(more: "[Step(Final = true), Output(\"scaled\")] public static Obs [|Scale|]([Input(\"obs\")] Obs o, [Input(\"summary\")] Summary s) => new(o.M / s.Mean);"), "CAIRN015"));

        Assert.StartsWith("Step 'Scale' runs per point but also reads 'summary', which is computed once (not supported yet)", Message(diagnostic), System.StringComparison.Ordinal);
    }

    /// <summary>A campaign with a grouped step: Curves, per L, reading obs and the points.</summary>
    private static string Grouped(string more) => Cases.Campaign(more:
        "[Step, GroupBy(nameof(Point.L)), Output(\"curves\")] public static Summary Curves([Input(\"obs\")] IReadOnlyList<Obs> all, IReadOnlyList<Point> points) => new(points[0].U, all.Count);\n    " + more);

    [Fact]
    public async Task CAIRN003_says_a_grouped_product_is_read_whole_keyed_by_its_groups_key_type()
    {
        Diagnostic asList = Single(await AnalyzerHarness.VerifyAsync(
            Grouped("[Step, Output(\"limit\")] public static Summary Limit([Input(\"curves\")] [|IReadOnlyList<Summary>|] all) => all[0];"), "CAIRN003"));
        Assert.Equal("Parameter 'all' of step 'Limit' has type 'IReadOnlyList<Summary>', but product 'curves' is a 'Summary' per group of L; declare the parameter as 'IReadOnlyDictionary<int, Summary>'", Message(asList));

        Diagnostic wrongKey = Single(await AnalyzerHarness.VerifyAsync(
            Grouped("[Step, Output(\"limit\")] public static Summary Limit([Input(\"curves\")] [|IReadOnlyDictionary<double, Summary>|] all) => all[0];"), "CAIRN003"));
        Assert.Equal("Parameter 'all' of step 'Limit' has type 'IReadOnlyDictionary<double, Summary>', but product 'curves' is a 'Summary' per group of L; declare the parameter as 'IReadOnlyDictionary<int, Summary>'", Message(wrongKey));

        // Two properties make a tuple key; its element names are the user's to choose.
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compilation(Cases.Campaign(more: """
            [Step, GroupBy(nameof(Point.L), nameof(Point.U)), Output("curves")] public static Summary Curves([Input("obs")] IReadOnlyList<Obs> all) => new(0, all.Count);
                [Step, Output("limit")] public static Summary Limit([Input("curves")] IReadOnlyDictionary<(int Size, double Coupling), Summary> all) => new(all.Count, 0);
            """))));
    }

    [Fact]
    public async Task CAIRN015_and_021_say_what_a_list_of_points_and_a_grouped_step_need()
    {
        Diagnostic pointsAlone = Single(await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(more: "[Step, Output(\"count\")] public static Summary [|Count|](IReadOnlyList<Point> points) => new(0, points.Count);"), "CAIRN015"));
        Assert.StartsWith("Step 'Count' reads the list of points but no list of a per-point product; read one as IReadOnlyList<T>", Message(pointsAlone), System.StringComparison.Ordinal);

        Diagnostic streamBeside = Single(await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(summarize: "[Step, Output(\"summary\")] public static Summary [|Summarize|]([Input(\"obs\")] IEnumerable<Obs> all, [Input(\"psi\")] IReadOnlyList<Psi> psi) => new(0, psi.Count);"), "CAIRN015"));
        Assert.StartsWith("Step 'Summarize' streams 'obs' beside other lists; a reduction that streams (IEnumerable<T>) reads one per-point product", Message(streamBeside), System.StringComparison.Ordinal);

        Diagnostic perPoint = Single(await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(more: "[Step, GroupBy(nameof(Point.L)), Output(\"each\")] public static Obs [|Each|]([Input(\"obs\")] Obs o) => o;"), "CAIRN021"));
        Assert.Equal("Step 'Each' runs per point, but [GroupBy] makes a reduction run once per group; read its inputs as IReadOnlyList<T>", Message(perPoint));

        Diagnostic empty = Single(await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(more: "[Step, GroupBy, Output(\"curves\")] public static Summary [|Curves|]([Input(\"obs\")] IReadOnlyList<Obs> all) => new(0, all.Count);"), "CAIRN021"));
        Assert.StartsWith("Step 'Curves' has [GroupBy] without a property", Message(empty), System.StringComparison.Ordinal);

        Diagnostic ofGroups = Single(await AnalyzerHarness.VerifyAsync(
            Grouped("[Step, GroupBy(nameof(Point.L)), Output(\"again\")] public static Summary [|Again|]([Input(\"obs\")] IReadOnlyList<Obs> all, [Input(\"curves\")] IReadOnlyDictionary<int, Summary> curves) => new(0, all.Count);"), "CAIRN021"));
        Assert.Equal("Step 'Again' also reads 'curves', which is not a per-point product; a grouped step reads lists of per-point products (and the list of points) only", Message(ofGroups));
    }

    [Fact]
    public async Task CAIRN019_suggests_the_nearest_property_and_is_on_the_name_given()
    {
        Diagnostic near = Single(await AnalyzerHarness.VerifyAsync(Cases.ById["CAIRN019"].Wrong.Replace("\"Size\"", "\"l\""), "CAIRN019"));
        Assert.Equal("Step 'Summarize' groups by 'l', which the point type 'Point' does not have; did you mean 'L'?", Message(near));
    }

    [Fact]
    public async Task CAIRN023_points_at_the_program_pattern_or_resource_that_cannot_be_used()
    {
        Diagnostic pattern = Single(await AnalyzerHarness.VerifyAsync(Cases.ById["CAIRN023"].Wrong, "CAIRN023"));
        Assert.StartsWith("Step 'Solve': VersionPattern \"Simulator - (.+\" is not a regular expression (", Message(pattern), System.StringComparison.Ordinal);

        // The second [Runs] names no program; the first is fine.
        Diagnostic program = Single(await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(solve: "[Step, Runs(\"lmp\"), Runs([|\" \"|]), Output(\"psi\")] public static Psi Solve(Point p) => new(p.U, [1.0]);"), "CAIRN023"));
        Assert.Equal("Step 'Solve': [Runs] names no program; name it as it is on PATH (\"lmp\") or by its path", Message(program));

        Diagnostic unasked = Single(await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(solve: "[Step, Runs(\"lmp\", VersionPattern = [|\"v(.+)\"|]), Output(\"psi\")] public static Psi Solve(Point p) => new(p.U, [1.0]);"), "CAIRN023"));
        Assert.Equal("Step 'Solve': VersionPattern picks the version out of what VersionArguments make 'lmp' print, and it has none; add VersionArguments (\"--version\")", Message(unasked));

        var resources = await AnalyzerHarness.VerifyAsync(
            Cases.Campaign(solve: "[Step, Resources(Cores = [|0|], Ranks = [|-2|], MemoryGiB = [|-1.5|]), Output(\"psi\")] public static Psi Solve(Point p) => new(p.U, [1.0]);"), "CAIRN023");
        Assert.Equal(
            [
                "Step 'Solve': Cores = 0, but each rank needs at least 1 core",
                "Step 'Solve': Ranks = -2, but ranks are 0 (the step is not MPI) or more",
                "Step 'Solve': MemoryGiB = -1.5, but memory is 0 (not said) or more",
            ],
            resources.Select(Message));
    }

    private static Diagnostic Single(System.Collections.Immutable.ImmutableArray<Diagnostic> diagnostics) => Assert.Single(diagnostics);

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);
}
