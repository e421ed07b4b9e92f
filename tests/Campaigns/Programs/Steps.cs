using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Cairn;

namespace Programs;

public record Case(int N);

/// <summary>A number raised by a program: the value it wrote, what it said, and the file it wrote, kept whole.</summary>
public record Powered(long Value, string Said, byte[] Out);

public record Total(long Sum, int Count);

public record Spread(long Sum, int Ranks, string Said);

/// <summary>
/// The campaign of the tests of external programs: PROGRAMS_POINTS points (20 by default), each
/// squared by the program cairn-square and cubed by cairn-cube (tests/Campaigns/Programs/power.c,
/// which the tests build and put on PATH), and a sum of the squares. The programs fail at 7 and
/// outlast the steps' 2 s timeout at 11. Spread runs the MPI program cairn-spread (spread.c) on
/// two ranks, through the site's launcher: each rank adds its share.
/// </summary>
public static class Steps
{
    [Points]
    public static IEnumerable<Case> Points() =>
        Enumerable.Range(0, int.Parse(Environment.GetEnvironmentVariable("PROGRAMS_POINTS") ?? "20", CultureInfo.InvariantCulture)).Select(i => new Case(i));

    [Step, Runs("cairn-square"), Output("square")]
    public static Powered Square(Case c) => Power("cairn-square", c);

    [Step(Final = true), Runs("cairn-cube", VersionArguments = "-v"), Output("cube")]
    public static Powered Cube(Case c) => Power("cairn-cube", c);

    [Step(Final = true), Runs("cairn-spread"), Resources(Ranks = 2), Output("spread")]
    public static Spread Spread(Case c)
    {
        ProgramResult run = ExternalProgram.Run(
            "cairn-spread",
            ["in.txt", "out.txt"],
            files: new Dictionary<string, string> { ["in.txt"] = c.N.ToString(CultureInfo.InvariantCulture) },
            keep: ["out.txt"],
            timeout: TimeSpan.FromSeconds(60));
        string[] words = run.Text("out.txt").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new Spread(long.Parse(words[0], CultureInfo.InvariantCulture), int.Parse(words[1], CultureInfo.InvariantCulture), run.StandardOutput.Trim());
    }

    [Step(Partial = true), Output("total")]
    public static Total Sum([Input("square")] IReadOnlyList<Powered> all) => new(all.Sum(s => s.Value), all.Count);

    private static Powered Power(string program, Case c)
    {
        ProgramResult run = ExternalProgram.Run(
            program,
            ["in.txt", "out.txt"],
            files: new Dictionary<string, string> { ["in.txt"] = c.N.ToString(CultureInfo.InvariantCulture) },
            keep: ["out.txt"],
            timeout: TimeSpan.FromSeconds(2));
        return new Powered(long.Parse(run.Text("out.txt").Trim(), CultureInfo.InvariantCulture), run.StandardOutput.Trim(), run.Files["out.txt"]);
    }
}
