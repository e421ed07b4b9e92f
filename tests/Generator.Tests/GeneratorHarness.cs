using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Cairn.Generator.Tests;

/// <summary>
/// Runs the generator on in-memory compilations built from the trusted platform assemblies and the
/// Cairn assemblies (no restore). Every run is done twice: the second must be entirely cached,
/// and no pipeline value may hold a symbol, syntax node or compilation.
/// </summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(StepAttribute).Assembly.Location, typeof(Hosting.CampaignHost).Assembly.Location])
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "TestCampaign",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: $"Source{i}.cs")),
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create(
            [new CampaignGenerator().AsSourceGenerator()],
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator, checks the second run is cached, and returns the first run's result and output compilation.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(CSharpCompilation compilation)
    {
        GeneratorDriver driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorDriverRunResult first = driver.GetRunResult();
        AssertNoForbiddenTypes(first);

        GeneratorDriverRunResult second = driver.RunGenerators(compilation.Clone()).GetRunResult();
        foreach (var (name, steps) in second.Results[0].TrackedSteps.Where(kv => s_ownSteps.Contains(kv.Key)).Concat(second.Results[0].TrackedOutputSteps))
        {
            foreach (IncrementalGeneratorRunStep step in steps)
            {
                foreach (var (_, reason) in step.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"step '{name}' was {reason} on an identical second run");
                }
            }
        }

        return (first, output);
    }

    /// <summary>The generated source with the given hint name.</summary>
    public static string Source(GeneratorDriverRunResult result, string hintName) =>
        result.Results[0].GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>The provenance hash of each step of a project made of <paramref name="sources"/>, which must generate without problems.</summary>
    public static Dictionary<string, string> StepHashes(params string[] sources)
    {
        var (result, output) = Run(Compilation(sources));
        Assert.Empty(Problems(output));
        return StepHashes(result);
    }

    /// <summary>The provenance hash of each step, by step identifier, from the per-step files.</summary>
    public static Dictionary<string, string> StepHashes(GeneratorDriverRunResult result) =>
        result.Results[0].GeneratedSources
            .Where(s => s.HintName.StartsWith("Campaign.Step.", StringComparison.Ordinal))
            .ToDictionary(
                s => s.HintName["Campaign.Step.".Length..^".g.cs".Length],
                s => System.Text.RegularExpressions.Regex.Match(s.SourceText.ToString(), "Hash = \"([0-9a-f]{32})\"").Groups[1].Value);

    /// <summary>Errors and warnings of the output compilation.</summary>
    public static IReadOnlyList<Diagnostic> Problems(Compilation output) =>
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    /// <summary>The generator's own named steps (Roslyn tracks its internal ones too, such as the raw compilation).</summary>
    private static readonly string[] s_ownSteps = typeof(TrackingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetRawConstantValue()!).ToArray();

    private static void AssertNoForbiddenTypes(GeneratorDriverRunResult result)
    {
        Assert.NotEmpty(s_ownSteps);
        foreach (var (name, steps) in result.Results[0].TrackedSteps.Where(kv => s_ownSteps.Contains(kv.Key)))
        {
            foreach (IncrementalGeneratorRunStep step in steps)
            {
                foreach (var (value, _) in step.Outputs)
                {
                    Visit(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }
    }

    private static void Visit(object? value, string step, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Microsoft.CodeAnalysis.Compilation or SemanticModel or Location,
            $"pipeline step '{step}' holds a {value.GetType().Name}, which defeats caching and keeps compilations alive");
        if (value is IEnumerable items)
        {
            foreach (object? item in items)
            {
                Visit(item, step, seen);
            }

            return;
        }

        foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                Visit(property.GetValue(value), step, seen);
            }
        }
    }
}
