using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Cairn;
using Cairn.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

// What the generator (hashing every step, emitting the host and one file per step) adds to a build
// of a campaign of N steps: a cold run, as in a fresh build, and a run after an edit inside one
// step's body, as in the IDE or an incremental build. Usage: GeneratorCost [N] (default 500).
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
MetadataReference[] references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
    .Concat([typeof(StepAttribute).Assembly.Location, typeof(Cairn.Hosting.CampaignHost).Assembly.Location])
    .Distinct()
    .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
    .ToArray();
var parse = new CSharpParseOptions(LanguageVersion.Latest);
CSharpCompilation compilation = CSharpCompilation.Create("Bench", [CSharpSyntaxTree.ParseText(source.ToString(), parse)], references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
_ = compilation.GetDiagnostics(); // the compiler's own work, done before the generator in a real build

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

double[] cold = Enumerable.Range(0, 9).Select(_ => Cold()).Order().ToArray();
double[] edit = Enumerable.Range(0, 9).Select(Edit).Order().ToArray();
Console.WriteLine($"steps {steps}: generator cold run median {cold[4]:F1} ms (min {cold[0]:F1}, max {cold[^1]:F1}); after a one-step body edit median {edit[4]:F1} ms (min {edit[0]:F1}, max {edit[^1]:F1})");
