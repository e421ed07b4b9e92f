using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Cairn.Analyzers.Tests;

/// <summary>
/// Runs Cairn's analyzers over source marked with <c>[|...|]</c> where each diagnostic must be,
/// and asserts that exactly those diagnostics are reported, at exactly those spans: no other
/// diagnostic of any ID. Compilations come from the trusted platform assemblies, never from a
/// package restore.
/// </summary>
internal static class AnalyzerHarness
{
    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = [new CampaignAnalyzer(), new ReproducibilityAnalyzer()];

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(StepAttribute).Assembly.Location, typeof(Hosting.CampaignHost).Assembly.Location])
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());

    public static MetadataReference[] References => s_references.Value;

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "AnalyzerTest",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Strips the markers and returns the source and the marked spans.</summary>
    public static (string Source, TextSpan[] Spans) Unmark(string marked)
    {
        var spans = Regex.Matches(marked, @"\[\|(.*?)\|\]", RegexOptions.Singleline).Select((m, i) => new TextSpan(m.Index - (4 * i), m.Groups[1].Length)).ToArray();
        return (marked.Replace("[|", "", StringComparison.Ordinal).Replace("|]", "", StringComparison.Ordinal), spans);
    }

    /// <summary>All analyzer diagnostics of a compilation, ordered by position.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation)
    {
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        // Analyzers run concurrently, so diagnostics come in no fixed order: sort them by position.
        return [.. (await compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync())
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)];
    }

    /// <summary>Asserts that the marked spans get diagnostic <paramref name="id"/> and that nothing else is reported.</summary>
    public static async Task<ImmutableArray<Diagnostic>> VerifyAsync(string markedSource, string id)
    {
        var (source, expected) = Unmark(markedSource);
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(Compilation(source));
        Assert.Equal(
            expected.Select(span => (id, span)).OrderBy(x => x.span.Start).ToArray(),
            diagnostics.Select(d => (d.Id, d.Location.SourceSpan)).ToArray());
        return diagnostics;
    }

    /// <summary>Applies the one code fix offered for the single diagnostic of the source and returns the fixed text.</summary>
    public static async Task<string> FixAsync(string source, string expectedTitle)
    {
        using var workspace = new AdhocWorkspace();
        Document document = Document(workspace, source);
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        Diagnostic diagnostic = Assert.Single(await AnalyzeAsync(compilation));

        var provider = new CairnCodeFixProvider();
        Assert.Contains(diagnostic.Id, provider.FixableDiagnosticIds);
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        CodeAction fix = Assert.Single(actions);
        Assert.Equal(expectedTitle, fix.Title);

        ApplyChangesOperation apply = Assert.Single((await fix.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>());
        Document changed = apply.ChangedSolution.GetDocument(document.Id)!;
        return (await changed.GetTextAsync()).ToString();
    }

    /// <summary>The code fixes offered for the diagnostics of the source (none expected in some tests).</summary>
    public static async Task<int> CountFixesAsync(string source)
    {
        using var workspace = new AdhocWorkspace();
        Document document = Document(workspace, source);
        int count = 0;
        foreach (Diagnostic diagnostic in await AnalyzeAsync((await document.Project.GetCompilationAsync())!))
        {
            await new CairnCodeFixProvider().RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (_, _) => count++, CancellationToken.None));
        }

        return count;
    }

    private static Document Document(AdhocWorkspace workspace, string source) =>
        workspace.AddProject("FixTest", LanguageNames.CSharp)
            .WithMetadataReferences(References)
            .WithParseOptions(ParseOptions)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .AddDocument("Source0.cs", SourceText.From(source));
}
