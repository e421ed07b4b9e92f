using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Cairn.Analyzers.Tests;

/// <summary>Every diagnostic of the catalogue: at its exact span for the wrong code, absent for the right code, documented and tracked.</summary>
public class CatalogueTests
{
    private static readonly string s_root = FindRoot();

    [Theory]
    [MemberData(nameof(Cases.Ids), MemberType = typeof(Cases))]
    public async Task Wrong_code_gets_exactly_its_diagnostic_at_the_span(string id)
    {
        var diagnostics = await AnalyzerHarness.VerifyAsync(Cases.ById[id].Wrong, id);

        Assert.NotEmpty(diagnostics);
        Diagnostic first = diagnostics[0];
        Assert.Equal($"docs/diagnostics.md#{id.ToLowerInvariant()}", first.Descriptor.HelpLinkUri);
        Assert.DoesNotContain("{", first.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases.Ids), MemberType = typeof(Cases))]
    public async Task Right_code_gets_no_diagnostic(string id)
    {
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compilation(Cases.ById[id].Right)));
    }

    [Fact]
    public void Every_descriptor_has_a_case_a_docs_section_with_wrong_and_right_code_and_a_release_line()
    {
        string docs = File.ReadAllText(Path.Combine(s_root, "docs", "diagnostics.md"));
        string unshipped = File.ReadAllText(Path.Combine(s_root, "src", "Analyzers", "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(Path.Combine(s_root, "src", "Analyzers", "AnalyzerReleases.Shipped.md"));
        var sections = Regex.Split(docs, @"^## ", RegexOptions.Multiline).Skip(1).ToDictionary(s => s[..8], s => s);
        foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.All)
        {
            Assert.True(Cases.ById.ContainsKey(descriptor.Id), $"{descriptor.Id} has no test case");
            Assert.True(sections.TryGetValue(descriptor.Id, out string? section), $"docs/diagnostics.md has no section '## {descriptor.Id}'");
            Assert.Contains("Wrong:", section, StringComparison.Ordinal);
            Assert.Contains("Right:", section, StringComparison.Ordinal);
            Assert.Matches($@"(?m)^{descriptor.Id} \| {Regex.Escape(descriptor.Category)} \| {descriptor.DefaultSeverity} \|", unshipped);
        }

        Assert.Equal(DiagnosticDescriptors.All.Select(d => d.Id), sections.Keys.Order());
    }

    private static string FindRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Compiler.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("Compiler.sln not found above " + AppContext.BaseDirectory);
    }
}
