using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Cairn.Analyzers.Tests;

/// <summary>
/// Runs an analyzer over source marked with <c>[|...|]</c> where each diagnostic must be, and
/// asserts exactly those spans are reported. Compilations come from the trusted platform
/// assemblies, never from a package restore.
/// </summary>
internal static class AnalyzerHarness
{
    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(StepAttribute).Assembly.Location)
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());

    public static async Task<ImmutableArray<Diagnostic>> VerifyAsync(DiagnosticAnalyzer analyzer, string markedSource, string id)
    {
        var expected = Regex.Matches(markedSource, @"\[\|(.*?)\|\]").Select((m, i) => new TextSpan(m.Index - (4 * i), m.Groups[1].Length)).ToArray();
        string source = markedSource.Replace("[|", "", StringComparison.Ordinal).Replace("|]", "", StringComparison.Ordinal);
        CSharpCompilation compilation = CSharpCompilation.Create(
            "AnalyzerTest",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        // Analyzers run concurrently, so diagnostics come in no fixed order: sort them by position.
        ImmutableArray<Diagnostic> diagnostics = [.. (await compilation.WithAnalyzers([analyzer]).GetAnalyzerDiagnosticsAsync()).OrderBy(d => d.Location.SourceSpan.Start)];
        Assert.Equal(expected, diagnostics.Where(d => d.Id == id).Select(d => d.Location.SourceSpan).Order().ToArray());
        return diagnostics;
    }
}
