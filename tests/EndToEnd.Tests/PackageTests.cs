using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>
/// Packs Cairn into a temporary feed and builds a fresh console project that references only that
/// package, as a user would. A unique package version keeps NuGet's cache from serving an old build.
/// </summary>
[Collection("builds")]
public sealed class PackageTests
{
    private readonly PackageFeed _feed;

    public PackageTests(PackageFeed feed) => _feed = feed;

    [Fact]
    public void The_one_package_holds_attributes_and_runtime_as_lib_and_the_generator_as_an_analyzer()
    {
        using ZipArchive zip = ZipFile.OpenRead(_feed.Package);
        string[] entries = zip.Entries.Select(e => e.FullName).ToArray();

        Assert.Contains("lib/net10.0/Cairn.Runtime.dll", entries);
        Assert.Contains("lib/net10.0/Cairn.Attributes.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Cairn.Generator.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Cairn.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Cairn.Analyzers.CodeFixes.dll", entries);
        Assert.Contains("docs/diagnostics.md", entries);
        Assert.Contains("build/Cairn.props", entries);
        Assert.Contains("buildTransitive/Cairn.props", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generator", StringComparison.Ordinal));
        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName == "Cairn.nuspec").Open());
        string text = nuspec.ReadToEnd();
        Assert.Contains("<dependency id=\"ParquetSharp\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Cairn.Runtime", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fresh_project_referencing_only_the_package_builds_runs_and_caches_the_architecture_example()
    {
        string project = _feed.UserProject(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Architecture.cs.txt")));
        try
        {
            var build = Shell.Run("dotnet", project, "build", "-c", "Release", "-o", "out");
            Assert.True(build.Exit == 0, Shell.Tail(build.Out + build.Err));
            string host = Path.Combine(project, "out", "User.dll");

            var run = Shell.Run("dotnet", project, host, "run", "--json");
            Assert.True(run.Exit == 0, run.Err);
            using (JsonDocument report = JsonDocument.Parse(run.Out))
            {
                JsonElement steps = report.RootElement.GetProperty("steps");
                Assert.Equal(200, steps.GetProperty("Solve").GetProperty("computed").GetInt64());
                Assert.Equal(200, steps.GetProperty("Measure").GetProperty("computed").GetInt64());
                Assert.Equal(1, steps.GetProperty("Summarize").GetProperty("computed").GetInt64());
            }

            Assert.True(File.Exists(Path.Combine(project, "campaign", "campaign.json")));
            var again = Shell.Run("dotnet", project, host, "run", "--json");
            using (JsonDocument report = JsonDocument.Parse(again.Out))
            {
                Assert.Equal(200, report.RootElement.GetProperty("steps").GetProperty("Measure").GetProperty("cached").GetInt64());
                Assert.Equal(0, report.RootElement.GetProperty("files_written").GetInt32());
                Assert.Equal(0, report.RootElement.GetProperty("files_removed").GetInt32());
            }

            var summary = Shell.Run("dotnet", project, host, "results", "summary", "--format", "json");
            Assert.Equal(0, summary.Exit);
            using JsonDocument rows = JsonDocument.Parse(summary.Out);
            Assert.Equal(200, rows.RootElement[0].GetProperty("Count").GetInt32());
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact]
    public void A_project_with_one_mistake_fails_to_build_with_exactly_one_diagnostic_its_cairn_error()
    {
        // A misspelt input: the analyzers report CAIRN001 with the nearest product, and nothing else
        // (the generator's stub host keeps Program.cs compiling, so no CS error follows from it).
        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Architecture.cs.txt"));
        string broken = source.Replace("[Input(\"psi\")]", "[Input(\"psy\")]", StringComparison.Ordinal);
        Assert.NotEqual(source, broken);
        string project = _feed.UserProject(broken);
        try
        {
            string sarif = Path.Combine(project, "build.sarif");
            var build = Shell.Run("dotnet", project, "build", "-c", "Release", "-o", "out", "-nologo", "-clp:NoSummary", $"-p:ErrorLog={sarif}%2Cversion=2.1");
            Assert.NotEqual(0, build.Exit);
            string[] diagnostics = (build.Out + build.Err).Split('\n')
                .Where(line => System.Text.RegularExpressions.Regex.IsMatch(line, @": (error|warning) [A-Z]+[0-9]+:"))
                .Distinct()
                .ToArray();
            string diagnostic = Assert.Single(diagnostics);
            Assert.Matches(@"Program\.cs\(\d+,\d+\): error CAIRN001: Step 'Measure' reads product 'psy', which no step outputs; did you mean 'psi'\?", diagnostic);

            // Its help link opens the catalogue the package ships, at its section.
            using JsonDocument log = JsonDocument.Parse(File.ReadAllText(sarif));
            JsonElement run = log.RootElement.GetProperty("runs")[0];
            int rule = run.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "CAIRN001").GetProperty("ruleIndex").GetInt32();
            string help = run.GetProperty("tool").GetProperty("driver").GetProperty("rules")[rule].GetProperty("helpUri").GetString()!;
            Assert.EndsWith("/docs/diagnostics.md#cairn001", help, StringComparison.Ordinal);
            var catalogue = new Uri(help);
            Assert.True(catalogue.IsFile, help);
            Assert.Contains("## CAIRN001", File.ReadAllText(catalogue.LocalPath), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }
}
