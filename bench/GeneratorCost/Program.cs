using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Cairn;
using Cairn.Analyzers;
using Cairn.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

// What the generator (hashing every step, emitting the host and one file per step) adds to a build
// of a campaign of N steps: a cold run, as in a fresh build, and a run after an edit inside one
// step's body, as in the IDE or an incremental build. Then what Cairn's analyzers add: the
// compiler's diagnostics of the generated project with and without them. Usage: GeneratorCost [N]
// (default 500). GeneratorCost N --emit DIR only writes the campaign's source to DIR/Steps.cs, for
// bench/analyzer-build, which measures the same in real builds.
int steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
const int PerPoint = 50;
var source = new StringBuilder("""
    using System.Collections.Generic;
    using Cairn;
    public record P(int I);
    public record A(double V);
    public static class Numerics
    {
        public static double Half(double x) => x / 2;
        public static double Mix(double x, double y) => Half(x) + (y * 0.25);
    }
    public static class Steps
    {
        [Points] public static IEnumerable<P> Points() { for (int i = 0; i < 10; i++) yield return new P(i); }

    """);
for (int i = 0; i < steps; i++)
{
    // 50 per-point steps, then a chain of global steps: the graph allows at most 62 per point.
    string body = i == 0 ? "new(Numerics.Half(p.I))"
        : i < PerPoint ? $"new(Numerics.Mix(x.V, p.I) + {i})"
        : $"new(Numerics.Mix(x.V, {i}) - Numerics.Half({i}))";
    string parameters = i == 0 ? "P p" : i < PerPoint ? $"[Input(\"s{i - 1}\")] A x, P p" : $"[Input(\"s{i - 1}\")] A x";
    if (i == PerPoint)
    {
        parameters = $"[Input(\"s{i - 1}\")] IReadOnlyList<A> all";
        body = "new(all.Count)";
    }

    source.AppendLine(CultureInfo.InvariantCulture, $"    [Step, Output(\"s{i}\")] public static A S{i}({parameters}) => {body};");
}

source.AppendLine("}");
if (args.Length > 2 && args[1] == "--emit")
{
    File.WriteAllText(Path.Combine(args[2], "Steps.cs"), source.ToString());
    return;
}

MetadataReference[] references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
    .Concat([typeof(StepAttribute).Assembly.Location, typeof(Cairn.Hosting.CampaignHost).Assembly.Location])
    .Distinct()
    .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
    .ToArray();
var parse = new CSharpParseOptions(LanguageVersion.Latest);
// The campaign as a fresh parse and compilation, which nothing has bound yet.
CSharpCompilation Parsed() => CSharpCompilation.Create("Bench", [CSharpSyntaxTree.ParseText(source.ToString(), parse)], references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
CSharpCompilation compilation = Parsed();
_ = compilation.GetDiagnostics(); // binds everything first: the generator figures leave out binding, which a real build makes the generator pay (bench/README.md)

double Cold()
{
    GeneratorDriver driver = CSharpGeneratorDriver.Create([new CampaignGenerator().AsSourceGenerator()], parseOptions: parse);
    var clock = Stopwatch.StartNew();
    driver = driver.RunGenerators(compilation);
    double ms = clock.Elapsed.TotalMilliseconds;
    if (driver.GetRunResult().Diagnostics.Any() || driver.GetRunResult().GeneratedTrees.Length != steps + 2)
    {
        throw new InvalidOperationException("the benchmark campaign does not generate: " + string.Join("; ", driver.GetRunResult().Diagnostics));
    }

    return ms;
}

double Edit(int round)
{
    GeneratorDriver driver = CSharpGeneratorDriver.Create([new CampaignGenerator().AsSourceGenerator()], parseOptions: parse).RunGenerators(compilation);
    SyntaxTree tree = compilation.SyntaxTrees[0];
    string text = tree.ToString().Replace("Numerics.Half(120))", $"Numerics.Half(120 + {round}))", StringComparison.Ordinal);
    CSharpCompilation edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(text)));
    var clock = Stopwatch.StartNew();
    driver.RunGenerators(edited);
    return clock.Elapsed.TotalMilliseconds;
}

for (int i = 0; i < 3; i++)
{
    Cold();
    Edit(i + 100); // warm up the JIT
}

// As in a real build: the generator runs on a compilation nothing has bound yet, so it pays the
// binding of what it reads (a fresh parse and compilation per run).
double Unbound()
{
    CSharpCompilation fresh = Parsed();
    GeneratorDriver driver = CSharpGeneratorDriver.Create([new CampaignGenerator().AsSourceGenerator()], parseOptions: parse);
    var clock = Stopwatch.StartNew();
    driver.RunGenerators(fresh);
    return clock.Elapsed.TotalMilliseconds;
}

double[] unbound = Enumerable.Range(0, 5).Select(_ => Unbound()).Order().ToArray();
Console.WriteLine($"steps {steps}: generator on an unbound compilation (a real build's case) median {unbound[2]:F1} ms (min {unbound[0]:F1}, max {unbound[^1]:F1})");
if (args.Contains("--unbound-only"))
{
    return;
}

double[] cold = Enumerable.Range(0, 9).Select(_ => Cold()).Order().ToArray();
double[] edit = Enumerable.Range(0, 9).Select(Edit).Order().ToArray();
Console.WriteLine($"steps {steps}: generator cold run median {cold[4]:F1} ms (min {cold[0]:F1}, max {cold[^1]:F1}); after a one-step body edit median {edit[4]:F1} ms (min {edit[0]:F1}, max {edit[^1]:F1})");

// The analyzers run in the same compiler pass as the build, over the project with its generated
// code. On a fresh copy of the compilation, first the compiler's own diagnostics (what the build
// does anyway), then the analyzers' on the same copy: that second time is what they add. It is an
// upper bound: their operation actions bind the method bodies again, which a real build shares.
CSharpCompilation Generated()
{
    CSharpGeneratorDriver.Create([new CampaignGenerator().AsSourceGenerator()], parseOptions: parse)
        .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
    return (CSharpCompilation)output;
}

CSharpCompilation generated = Generated();

(double Compile, double Analyze, double Own) Measure(params DiagnosticAnalyzer[] analyzers)
{
    CSharpCompilation fresh = generated.Clone();
    var clock = Stopwatch.StartNew();
    var errors = fresh.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
    double compile = clock.Elapsed.TotalMilliseconds;
    var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true);
    CompilationWithAnalyzers withAnalyzers = fresh.WithAnalyzers([.. analyzers], options);
    clock.Restart();
    var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    double analyze = clock.Elapsed.TotalMilliseconds;
    double own = analyzers.Sum(a => withAnalyzers.GetAnalyzerTelemetryInfoAsync(a, default).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds);
    return errors.Length + diagnostics.Length == 0
        ? (compile, analyze, own)
        : throw new InvalidOperationException("the benchmark campaign has diagnostics: " + errors.Concat(diagnostics).First());
}

DiagnosticAnalyzer[] Cairn() => [new CampaignAnalyzer(), new ReproducibilityAnalyzer()];
DiagnosticAnalyzer[] Idle() => [new IdleAnalyzer(operations: false), new IdleAnalyzer(operations: true)];
for (int i = 0; i < 3; i++)
{
    Measure(Cairn());
    Measure(Idle()); // warm up the JIT
}

// Interleaved, so that the machine's drift and the GC's state fall on both alike.
var rounds = Enumerable.Range(0, 15).Select(_ => (Idle: Measure(Idle()), Cairn: Measure(Cairn()))).ToArray();
double Median(IEnumerable<double> values)
{
    double[] sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"steps {steps}: compiler diagnostics median {Median(rounds.Select(r => r.Cairn.Compile)):F1} ms; analyzer pass with Cairn's analyzers median {Median(rounds.Select(r => r.Cairn.Analyze)):F1} ms, with two idle analyzers registering the same actions {Median(rounds.Select(r => r.Idle.Analyze)):F1} ms; Cairn's analyzers add median {Median(rounds.Select(r => r.Cairn.Analyze - r.Idle.Analyze)):F1} ms per round, their own code (telemetry) {Median(rounds.Select(r => r.Cairn.Own)):F1} ms"));

/// <summary>
/// Registers what one of Cairn's analyzers registers (the symbol and end actions of CampaignAnalyzer,
/// or the operation actions of ReproducibilityAnalyzer) and does nothing: the analyzer driver's own
/// cost (binding operations, events), which any analyzer of that kind pays.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class IdleAnalyzer(bool operations) : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor s_never = new("IDLE001", "never", "never", "bench", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override System.Collections.Immutable.ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [s_never];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            start.RegisterSymbolAction(_ => { }, SymbolKind.Method);
            if (!operations)
            {
                start.RegisterCompilationEndAction(_ => { });
                return;
            }

            start.RegisterOperationAction(_ => { }, global::Cairn.Analyzers.ReproducibilityAnalyzer.InspectedOperations);
            start.RegisterCompilationEndAction(_ => { });
        });
    }
}
