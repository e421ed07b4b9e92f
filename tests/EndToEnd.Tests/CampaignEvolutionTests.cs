using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>
/// A campaign's second day, as a user lives it: a project referencing the package, with the default
/// store inside the project directory, is run, edited, rebuilt and run again, and each run computes
/// exactly what the edit affects.
/// </summary>
[Collection("builds")]
public sealed class CampaignEvolutionTests
{
    private const string Program = """
        using Cairn;

        return Campaign.Run(args);

        public record Point(double Coupling, int Size);
        public record Wavefunction(double Energy, double[] Amplitudes);
        public record Observables(double Magnetization, double Gap);
        public record Summary(double MeanGap, int Count);

        public static class Chain
        {
            [Points]
            public static IEnumerable<Point> Grid() =>
                from u in Enumerable.Range(0, 20) from l in new[] { 8, 16 }
                select new Point(u * 0.1, l);

            [Step, Output("psi")]
            public static Wavefunction Solve(Point p) =>
                new(-2 * Math.Sqrt(1 + p.Coupling * p.Coupling), Enumerable.Range(0, p.Size).Select(i => Math.Cos(i * p.Coupling)).ToArray());

            [Step, Output("obs")]
            public static Observables Measure([Input("psi")] Wavefunction psi, Point p) =>
                new(Mean(psi.Amplitudes), -psi.Energy / p.Size);

            private static double Mean(double[] values) => values.Average();

            [Step, Output("summary")]
            public static Summary Summarize([Input("obs")] IReadOnlyList<Observables> all) => new(all.Average(o => o.Gap), all.Count);
        }
        """;

    private readonly PackageFeed _feed;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public CampaignEvolutionTests(PackageFeed feed, Xunit.Abstractions.ITestOutputHelper output)
    {
        _feed = feed;
        _output = output;
    }

    /// <summary>The user's project: edits Program.cs, builds, runs with the default store.</summary>
    private sealed class Project(string directory)
    {
        public string Directory { get; } = directory;

        public string Source { get; private set; } = File.ReadAllText(Path.Combine(directory, "Program.cs"));

        public void Edit(string from, string to)
        {
            Assert.Contains(from, Source, StringComparison.Ordinal);
            Source = Source.Replace(from, to, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(Directory, "Program.cs"), Source);
        }

        public (int Exit, string Out, string Err) Host(params string[] args)
        {
            var build = Shell.Run("dotnet", Directory, "build", "-c", "Release", "-nologo", "-v", "q");
            Assert.True(build.Exit == 0, Shell.Tail(build.Out + build.Err));
            return Shell.Run("dotnet", Directory, [Path.Combine("bin", "Release", "net10.0", "User.dll"), .. args]);
        }

        /// <summary>Builds and runs; returns per step (computed, cached).</summary>
        public (JsonElement Report, Func<string, (long Computed, long Cached)> Steps) Run()
        {
            var run = Host("run", "--json");
            Assert.True(run.Exit == 0, run.Out + run.Err);
            JsonElement report = JsonDocument.Parse(run.Out).RootElement;
            return (report, step =>
            {
                JsonElement counts = report.GetProperty("steps").GetProperty(step);
                return (counts.GetProperty("computed").GetInt64(), counts.GetProperty("cached").GetInt64());
            });
        }

        public JsonElement Json(params string[] args)
        {
            var result = Shell.Run("dotnet", Directory, [Path.Combine("bin", "Release", "net10.0", "User.dll"), .. args, "--format", "json"]);
            Assert.True(result.Exit == 0, result.Err);
            return JsonDocument.Parse(result.Out).RootElement;
        }
    }

    [Fact]
    public void Day_two_run_add_points_add_a_field_add_a_step_edit_a_helper_rename_and_remove_a_field_shrink_remove_rename_recomputes_exactly_what_changed()
    {
        var project = new Project(_feed.UserProject(Program));
        try
        {
            var (_, first) = project.Run();
            Assert.Equal((40, 0), first("Solve"));
            Assert.Equal((40, 0), first("Measure"));
            Assert.Equal((1, 0), first("Summarize"));

            // The second build of a project whose store lies inside it: nothing of the store is compiled.
            var (_, again) = project.Run();
            Assert.Equal((0, 40), again("Solve"));
            Assert.Equal((0, 1), again("Summarize"));
            Assert.NotEmpty(System.IO.Directory.GetFiles(Path.Combine(project.Directory, "campaign", "code")));
            Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(project.Directory, "campaign"), "*.cs", SearchOption.AllDirectories));

            project.Edit("Enumerable.Range(0, 20)", "Enumerable.Range(0, 25)");
            var (grown, more) = project.Run();
            Assert.Equal(10, grown.GetProperty("new_points").GetInt64());
            Assert.Equal((10, 40), more("Solve"));
            Assert.Equal((10, 40), more("Measure"));
            Assert.Equal((1, 0), more("Summarize"));

            // A field added to an output type: that step and what reads it, nothing upstream.
            project.Edit("public record Observables(double Magnetization, double Gap);", "public record Observables(double Magnetization, double Gap, double Norm);");
            project.Edit("new(Mean(psi.Amplitudes), -psi.Energy / p.Size);", "new(Mean(psi.Amplitudes), -psi.Energy / p.Size, psi.Amplitudes.Sum(a => a * a));");
            var (_, field) = project.Run();
            Assert.Equal((0, 50), field("Solve"));
            Assert.Equal((50, 0), field("Measure"));
            Assert.Equal((1, 0), field("Summarize"));
            Assert.Equal(50, project.Json("results", "obs").GetArrayLength());
            Assert.True(project.Json("results", "obs")[0].TryGetProperty("Norm", out _));

            // A new step computes only itself.
            project.Edit("    private static double Mean(", """
                    [Step(Final = true), Output("energy")]
                    public static Energy Energies([Input("psi")] Wavefunction psi, Point p) => new(psi.Energy / p.Size);

                    private static double Mean(
                """);
            project.Edit("public record Summary(", "public record Energy(double PerSite);\npublic record Summary(");
            var (_, added) = project.Run();
            Assert.Equal((0, 50), added("Solve"));
            Assert.Equal((0, 50), added("Measure"));
            Assert.Equal((50, 0), added("Energies"));
            Assert.Equal((0, 1), added("Summarize"));

            // A fix in a helper the step calls.
            project.Edit("values.Average();", "values.Sum() / values.Length;");
            var (_, helper) = project.Run();
            Assert.Equal((0, 50), helper("Solve"));
            Assert.Equal((50, 0), helper("Measure"));
            Assert.Equal((0, 50), helper("Energies"));
            Assert.Equal((1, 0), helper("Summarize"));

            // A property renamed, then removed: that step and the reduction that reads its type, nothing upstream.
            project.Edit("double Gap, double Norm);", "double Gap, double Weight);");
            var (_, renamedField) = project.Run();
            Assert.Equal((0, 50), renamedField("Solve"));
            Assert.Equal((50, 0), renamedField("Measure"));
            Assert.Equal((0, 50), renamedField("Energies"));
            Assert.Equal((1, 0), renamedField("Summarize"));
            Assert.True(project.Json("results", "obs")[0].TryGetProperty("Weight", out _));
            project.Edit("double Gap, double Weight);", "double Gap);");
            project.Edit(", psi.Amplitudes.Sum(a => a * a));", ");");
            var (_, removedField) = project.Run();
            Assert.Equal((0, 50), removedField("Solve"));
            Assert.Equal((50, 0), removedField("Measure"));
            Assert.Equal((1, 0), removedField("Summarize"));
            Assert.False(project.Json("results", "obs")[0].TryGetProperty("Weight", out _));

            // A shrunk grid: the reduction covers the points [Points] yields now.
            project.Edit("Enumerable.Range(0, 25)", "Enumerable.Range(0, 15)");
            var (shrunk, fewer) = project.Run();
            Assert.Equal(30, shrunk.GetProperty("points").GetInt64());
            Assert.Equal((0, 30), fewer("Measure"));
            Assert.Equal((1, 0), fewer("Summarize"));
            Assert.Equal(30, project.Json("results", "summary")[0].GetProperty("Count").GetInt32());
            Assert.Equal(30, project.Json("results", "obs").GetArrayLength());
            var status = Shell.Run("dotnet", project.Directory, Path.Combine("bin", "Release", "net10.0", "User.dll"), "status", "--json");
            Assert.Equal(30, JsonDocument.Parse(status.Out).RootElement.GetProperty("points").GetInt64());

            // A removed step leaves the others cached; a renamed product is a new product.
            project.Edit("""
                    [Step(Final = true), Output("energy")]
                    public static Energy Energies([Input("psi")] Wavefunction psi, Point p) => new(psi.Energy / p.Size);

                """, "");
            var (_, removed) = project.Run();
            Assert.Equal((0, 30), removed("Measure"));
            Assert.Equal((0, 1), removed("Summarize"));
            Assert.Equal((0, 30), removed("Solve"));
            // Its results are history: out of results/, kept under history/.
            string store = Path.Combine(project.Directory, "campaign");
            Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(store, "results", "energy")));
            Assert.NotEmpty(System.IO.Directory.GetFiles(Path.Combine(store, "history", "results", "energy")));

            project.Edit("[Step, Output(\"obs\")]", "[Step, Output(\"observables\")]");
            project.Edit("[Input(\"obs\")]", "[Input(\"observables\")]");
            var (_, renamed) = project.Run();
            Assert.Equal((0, 30), renamed("Solve"));
            Assert.Equal((30, 0), renamed("Measure"));
            Assert.Equal((1, 0), renamed("Summarize"));
            Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(store, "results", "obs")));

            // Another point type: new points, and everything computed for them.
            project.Edit("public record Point(double Coupling, int Size);", "public record Point(double Coupling, int Size, int Seed = 1);");
            var (retyped, fresh) = project.Run();
            Assert.Equal(30, retyped.GetProperty("new_points").GetInt64());
            Assert.Equal((30, 0), fresh("Solve"));
            Assert.Equal((30, 0), fresh("Measure"));
            Assert.Equal(30, project.Json("results", "summary")[0].GetProperty("Count").GetInt32());

            // Twelve builds and runs later: one file per current directory; in history a few (shards of
            // an older type, and all of a product no step makes any more, are moved whole and not
            // merged) (bench/README.md records the figures).
            string[] files = System.IO.Directory.GetFiles(store, "*", SearchOption.AllDirectories);
            long bytes = files.Sum(f => new FileInfo(f).Length);
            _output.WriteLine($"store after day two: {files.Length} files, {bytes} bytes");
            foreach (string directory in System.IO.Directory.GetDirectories(store, "*", SearchOption.AllDirectories))
            {
                int count = System.IO.Directory.GetFiles(directory).Length;
                string relative = Path.GetRelativePath(store, directory);
                int bound = relative.StartsWith("history", StringComparison.Ordinal) ? 6 : relative == "code" ? 20 : 1;
                Assert.True(count <= bound, $"{relative} holds {count} files");
            }

            Assert.InRange(files.Length, 1, 45);
        }
        finally
        {
            System.IO.Directory.Delete(project.Directory, recursive: true);
        }
    }
}
