using System.Collections.Generic;
using System.Linq;
using System.Text;
using Xunit;

namespace Cairn.Analyzers.Tests;

/// <summary>
/// For every diagnostic, a campaign with one mistake (its diagnostic marked <c>[|...|]</c>) and the
/// same campaign done right. They mirror the wrong and right examples of docs/diagnostics.md.
/// </summary>
internal static class Cases
{
    public const string Types = """
        public record Point(double U, int L);
        public record Psi(double E, double[] A);
        public record Obs(double M);
        public record Summary(double Mean, int Count);
        """;

    public const string Grid = "[Points] public static IEnumerable<Point> Grid() => [new Point(1, 2)];";
    public const string Solve = "[Step, Output(\"psi\")] public static Psi Solve(Point p) => new(p.U, [1.0]);";
    public const string Measure = "[Step, Output(\"obs\")] public static Obs Measure([Input(\"psi\")] Psi psi, Point p) => new(psi.E);";
    public const string Summarize = "[Step, Output(\"summary\")] public static Summary Summarize([Input(\"obs\")] IReadOnlyList<Obs> all) => new(0, all.Count);";

    /// <summary>The architecture's campaign (points, solve, measure, summarize), with some members replaced or added.</summary>
    public static string Campaign(string? grid = Grid, string? solve = Solve, string? measure = Measure, string? summarize = Summarize, string more = "", string types = Types, string kind = "static class")
    {
        var members = new[] { grid, solve, measure, summarize, more }.Where(m => !string.IsNullOrEmpty(m)).Select(m => "    " + m);
        return $$"""
            using System;
            using System.Collections.Generic;
            using Cairn;
            {{types}}
            public {{kind}} Steps
            {
            {{string.Join("\n", members)}}
            }
            """;
    }

    /// <summary>A chain of <paramref name="count"/> per-point steps after Solve, all read by one reduction.</summary>
    public static string Chain(int count, bool markLast)
    {
        var steps = new StringBuilder();
        for (int i = 1; i <= count; i++)
        {
            string name = i == count && markLast ? $"[|S{i}|]" : $"S{i}";
            string input = i == 1 ? "psi" : $"s{i - 1}";
            steps.Append($"[Step, Output(\"s{i}\")] public static Psi {name}([Input(\"{input}\")] Psi x) => x;\n    ");
        }

        steps.Append($"[Step, Output(\"summary\")] public static Summary Summarize([Input(\"s{count}\")] IReadOnlyList<Psi> all) => new(0, all.Count);");
        return Campaign(measure: null, summarize: null, more: steps.ToString());
    }

    /// <summary>Each ID's wrong campaign (marked) and right campaign.</summary>
    public static readonly IReadOnlyDictionary<string, (string Wrong, string Right)> ById = new Dictionary<string, (string, string)>
    {
        ["CAIRN001"] = (
            Campaign(measure: "[Step, Output(\"obs\")] public static Obs Measure([Input([|\"psy\"|])] Psi psi, Point p) => new(psi.E);"),
            Campaign()),
        ["CAIRN002"] = (
            Campaign(more: "[Step, Output([|\"psi\"|])] public static Psi Guess(Point p) => new(0, [p.U]);"),
            Campaign(more: "[Step(Final = true), Output(\"guess\")] public static Psi Guess(Point p) => new(0, [p.U]);")),
        ["CAIRN003"] = (
            Campaign(measure: "[Step, Output(\"obs\")] public static Obs Measure([Input(\"psi\")] [|Obs|] psi, Point p) => new(psi.M);"),
            Campaign()),
        ["CAIRN004"] = (
            Campaign(solve: "[Step, Output(\"psi\")] public static Psi [|Solve|](Point p, [Input(\"obs\")] Obs previous) => new(previous.M, [1.0]);"),
            Campaign()),
        ["CAIRN005"] = (
            Campaign(solve: "[Step, Output(\"psi\")] public Psi [|Solve|](Point p) => new(p.U, [1.0]);", kind: "class"),
            Campaign(kind: "class")),
        ["CAIRN006"] = (
            Campaign(measure: "[Step, Output(\"obs\")] public static Obs Measure(Psi [|psi|], Point p) => new(psi.E);"),
            Campaign()),
        ["CAIRN007"] = (
            Campaign(measure: "[Step, Output(\"obs\")] public static [|Obs|] Measure([Input(\"psi\")] Psi psi, Point p) => new(psi.E);",
                types: Types.Replace("public record Obs(double M);", "public record Obs(double M) { public List<int> Extra { get; init; } = []; }", System.StringComparison.Ordinal)),
            Campaign(types: Types.Replace("public record Obs(double M);", "public record Obs(double M) { public int[] Extra { get; init; } = []; }", System.StringComparison.Ordinal))),
        ["CAIRN008"] = (
            Campaign(more: "[Step] public static [|void|] Report(Point p) => Console.WriteLine(p);"),
            Campaign()),
        ["CAIRN009"] = (
            Campaign(measure: "[Step, Output(\"obs\")] public static Obs Measure([Input(\"psi\")] Psi psi, Point p, out double [|norm|]) { norm = 1; return new(psi.E); }"),
            Campaign()),
        ["CAIRN010"] = (
            Campaign(more: "[Points] public static IEnumerable<Point> [|More|]() => [new Point(2, 2)];"),
            Campaign()),
        ["CAIRN011"] = (
            Campaign(solve: "[Step, Output(\"psi\")] public static Psi Solve(Point p) => new(p.U * [|new Random()|].NextDouble(), [1.0]);"),
            Campaign(solve: "[Step, Output(\"psi\")] public static Psi Solve(Point p) => new(p.U * new Random(p.L).NextDouble(), [1.0]);")),
        ["CAIRN012"] = (
            Campaign(solve: "static int s_solved; [Step, Output(\"psi\")] public static Psi Solve(Point p) { [|s_solved|]++; return new(p.U, [s_solved]); }"),
            Campaign(solve: "[Step, Output(\"psi\")] public static Psi Solve(Point p) { int solved = 0; solved++; return new(p.U, [solved]); }")),
        ["CAIRN013"] = (
            Campaign(measure: "[Step(Name = [|\"Solve\"|]), Output(\"obs\")] public static Obs Measure([Input(\"psi\")] Psi psi, Point p) => new(psi.E);"),
            Campaign(measure: "[Step(Name = \"measure\"), Output(\"obs\")] public static Obs Measure([Input(\"psi\")] Psi psi, Point p) => new(psi.E);")),
        ["CAIRN014"] = (
            Campaign(more: "[Step, Output([|\"energy\"|])] public static Obs Energy([Input(\"psi\")] Psi psi) => new(psi.E);"),
            Campaign(more: "[Step(Final = true), Output(\"energy\")] public static Obs Energy([Input(\"psi\")] Psi psi) => new(psi.E);")),
        ["CAIRN015"] = (
            Campaign(summarize: "[Step, Output(\"summary\")] public static Summary [|Summarize|]([Input(\"obs\")] IReadOnlyList<Obs> all, Point p) => new(p.U, all.Count);"),
            Campaign()),
        ["CAIRN016"] = (Chain(60, markLast: true), Chain(59, markLast: false)),
        ["CAIRN017"] = (
            Campaign(grid: "[Points] public static IEnumerable<Point> [|Grid|]() => [new Point(1, 2)];", solve: null, measure: null, summarize: null),
            Campaign()),
        ["CAIRN018"] = (
            Campaign(more: "[Step(Final = true), Output([|\"../energy\"|])] public static Obs Energy([Input(\"psi\")] Psi psi) => new(psi.E);"),
            Campaign(more: "[Step(Final = true), Output(\"energy\")] public static Obs Energy([Input(\"psi\")] Psi psi) => new(psi.E);")),
        ["CAIRN019"] = (
            Campaign(summarize: "[Step, GroupBy([|\"Size\"|]), Output(\"summary\")] public static Summary Summarize([Input(\"obs\")] IReadOnlyList<Obs> all) => new(0, all.Count);"),
            Campaign(summarize: "[Step, GroupBy(nameof(Point.L)), Output(\"summary\")] public static Summary Summarize([Input(\"obs\")] IReadOnlyList<Obs> all) => new(0, all.Count);")),
        ["CAIRN020"] = (
            Campaign(
                types: Types.Replace("public record Point(double U, int L);", "public record Point(double U, int L, double[] Shape);"),
                grid: "[Points] public static IEnumerable<Point> Grid() => [new Point(1, 2, [1.0])];",
                summarize: "[Step, GroupBy([|nameof(Point.Shape)|]), Output(\"summary\")] public static Summary Summarize([Input(\"obs\")] IReadOnlyList<Obs> all) => new(0, all.Count);"),
            Campaign(
                types: Types.Replace("public record Point(double U, int L);", "public record Point(double U, int L, double[] Shape);"),
                grid: "[Points] public static IEnumerable<Point> Grid() => [new Point(1, 2, [1.0])];",
                summarize: "[Step, GroupBy(nameof(Point.L)), Output(\"summary\")] public static Summary Summarize([Input(\"obs\")] IReadOnlyList<Obs> all) => new(0, all.Count);")),
        ["CAIRN021"] = (
            Campaign(more: "[Step, GroupBy(nameof(Point.L)), Output(\"curves\")] public static Summary [|Curves|]([Input(\"obs\")] IReadOnlyList<Obs> all, [Input(\"summary\")] Summary whole) => new(whole.Mean, all.Count);"),
            Campaign(more: "[Step, GroupBy(nameof(Point.L)), Output(\"curves\")] public static Summary Curves([Input(\"obs\")] IReadOnlyList<Obs> all, IReadOnlyList<Point> points) => new(points[0].U, all.Count);")),
        ["CAIRN022"] = (
            Campaign(summarize: "[Step, GroupBy([|nameof(Point.L)|]), Output(\"summary\")] public static PerSize Summarize([Input(\"obs\")] IReadOnlyList<Obs> all) => new(0, all.Count);",
                types: Types + "\npublic record PerSize(double Mean, int L);"),
            Campaign(summarize: "[Step, GroupBy(nameof(Point.L)), Output(\"summary\")] public static PerSize Summarize([Input(\"obs\")] IReadOnlyList<Obs> all) => new(0, all.Count);",
                types: Types + "\npublic record PerSize(double Mean, int Count);")),
        ["CAIRN023"] = (
            Campaign(solve: "[Step, Runs(\"lmp\", VersionArguments = \"-h\", VersionPattern = [|\"Simulator - (.+\"|]), Output(\"psi\")] public static Psi Solve(Point p) => new(p.U, [1.0]);"),
            Campaign(solve: "[Step, Runs(\"lmp\", VersionArguments = \"-h\", VersionPattern = \"Simulator - (.+)\"), Output(\"psi\")] public static Psi Solve(Point p) => new(p.U, [1.0]);")),
    };

    public static TheoryData<string> Ids => new(ById.Keys.Order());
}
