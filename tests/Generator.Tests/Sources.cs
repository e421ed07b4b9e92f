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
}
