namespace Cairn.Generator.Tests;

/// <summary>Campaign sources the tests compile.</summary>
internal static class Sources
{
    /// <summary>The example of ARCHITECTURE.md, "What the user writes", with bodies filled in.</summary>
    public const string Architecture = """
        using System.Collections.Generic;
        using System.Linq;
        using Cairn;

        public record Point(double Coupling, int Size);
        public record Wavefunction(double Energy, double[] Amplitudes);
        public record Observables(double Magnetization, double Gap);
        public record Summary(double MeanGap, int Count);

        public static class Hubbard
        {
            [Points]
            public static IEnumerable<Point> Grid() =>
                from u in Enumerable.Range(0, 100) from l in new[] { 8, 16 }
                select new Point(u * 0.1, l);

            [Step, Output("psi")]
            public static Wavefunction Solve(Point p) => new(-p.Coupling * p.Size, new double[p.Size]);

            [Step, Output("obs")]
            public static Observables Measure([Input("psi")] Wavefunction psi, Point p) => new(psi.Amplitudes.Sum(), psi.Energy / p.Size);

            [Step, Output("summary")]
            public static Summary Summarize([Input("obs")] IReadOnlyList<Observables> all) => new(all.Average(o => o.Gap), all.Count);
        }
        """;

    /// <summary>Every kind of stored member, init-only and settable properties, a struct, and an async step.</summary>
    public const string RichTypes = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Cairn;

        namespace Physics.Models
        {
            public enum Lattice { Chain, Square }

            public readonly record struct Site(int X, Lattice Lattice, DateTime Start, string? Tag, double? Field);

            public sealed class Spectrum
            {
                public Spectrum(float[] levels) => Levels = levels;
                public float[] Levels { get; }
                public long[] Degeneracies { get; init; } = [];
                public bool Converged { get; set; }
                public byte Flags { get; set; }
                public int Count => Levels.Length;
            }

            public static class Campaign1
            {
                [Points]
                public static IEnumerable<Site> Sites() { yield return new Site(1, Lattice.Chain, DateTime.UnixEpoch, null, 0.5); }

                [Step(Name = "levels", Version = 2)]
                public static async Task<Spectrum> Levels(Site site) { await Task.Yield(); return new Spectrum([site.X]); }

                [Step]
                [return: Output("count")]
                public static Physics.Models.Site Recount([Input("Levels")] Spectrum s, Site site) => site with { X = s.Count };
            }
        }
        """;

    /// <summary>Grouped reductions: by one property, by three (an enum, a string, an int), and a step reading both whole.</summary>
    public const string Grouped = """
        using System.Collections.Generic;
        using System.Linq;
        using Cairn;

        public enum Lattice { Chain, Square }
        public record Point(double U, int L, Lattice Lattice, string Model);
        public record Obs(double Gap);
        public record Curve(double[] U, double[] Gap);
        public record Limit(double Gap, int Sizes, int Groups);

        public static class Steps
        {
            [Points] public static IEnumerable<Point> Grid() => [new Point(1, 2, Lattice.Chain, "hubbard")];
            [Step, Output("obs")] public static Obs Measure(Point p) => new(p.U);

            [Step, GroupBy(nameof(Point.L)), Output("curves")]
            public static Curve PerSize([Input("obs")] IReadOnlyList<Obs> obs, IReadOnlyList<Point> points) => new(points.Select(p => p.U).ToArray(), obs.Select(o => o.Gap).ToArray());

            [Step, GroupBy(nameof(Point.Lattice), nameof(Point.Model), nameof(Point.L)), Output("kinds")]
            public static Obs PerKind([Input("obs")] IReadOnlyList<Obs> obs) => new(obs.Average(o => o.Gap));

            [Step, Output("limit")]
            public static Limit Extrapolate([Input("curves")] IReadOnlyDictionary<int, Curve> curves, [Input("kinds")] IReadOnlyDictionary<(Lattice, string, int), Obs> kinds) =>
                new(curves.Values.Sum(c => c.Gap.Sum()), curves.Count, kinds.Count);
        }
        """;
}
