using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Cairn.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Cairn.Analyzers.Tests;

/// <summary>
/// The whole build in memory, as <c>dotnet build</c> runs it: the generator, then the compiler and
/// the analyzers over the generated host. One mistake must give exactly one diagnostic: no cascade
/// of errors from generated code, and no second diagnostic for the same mistake.
/// </summary>
public class PipelineTests
{
    private const string Program = """
        public static class Program
        {
            public static int Main(string[] args) => Campaign.Run(args);
        }
        """;

    [Theory]
    [MemberData(nameof(Cases.Ids), MemberType = typeof(Cases))]
    public async Task A_project_with_one_mistake_gets_exactly_one_diagnostic(string id)
    {
        var (source, spans) = AnalyzerHarness.Unmark(Cases.ById[id].Wrong);
        Diagnostic diagnostic = Assert.Single(await BuildAsync(source));

        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(Assert.Single(spans), diagnostic.Location.SourceSpan);
    }

    [Theory]
    [MemberData(nameof(Cases.Ids), MemberType = typeof(Cases))]
    public async Task The_right_project_builds_without_any_diagnostic(string id)
    {
        Assert.Empty(await BuildAsync(Cases.ById[id].Right));
    }

    /// <summary>Every warning and error of the build: the generator's, the compiler's (generated code included) and the analyzers'.</summary>
    private static async Task<IReadOnlyList<Diagnostic>> BuildAsync(string source)
    {
        CSharpCompilation compilation = AnalyzerHarness.Compilation(source, Program);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new CampaignGenerator().AsSourceGenerator()], parseOptions: AnalyzerHarness.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out var generatorDiagnostics);
        Assert.NotEmpty(driver.GetRunResult().GeneratedTrees);
        var analyzers = await output.WithAnalyzers(AnalyzerHarness.Analyzers).GetAnalyzerDiagnosticsAsync();
        return [.. generatorDiagnostics.Concat(output.GetDiagnostics()).Concat(analyzers).Where(d => d.Severity >= DiagnosticSeverity.Warning)];
    }
}
