using System.Threading.Tasks;
using Xunit;

namespace Cairn.Analyzers.Tests;

/// <summary>
/// CAIRN011 follows all code a step reaches, by the rules its provenance hash follows
/// (the generator's StepHashCoverageTests hold the same kinds): a use of randomness in each is
/// reported, where it is, for the step.
/// </summary>
public class ReachTests
{
    /// <summary>What the step computes with, the code that it reaches (the use marked), and how the message names that code.</summary>
    public static TheoryData<string, string, string> Reached => new()
    {
        { "Tables.Weights[0]", "public static class Tables { public static readonly double[] Weights = [[|Random.Shared|].NextDouble()]; }", "Tables.Weights" },
        { "Tables.Noise", "public static class Tables { public static readonly double Noise; static Tables() { Noise = [|Random.Shared|].NextDouble(); } }", "static Tables()" },
        { "Tables.Noise", "public static class Tables { public static double Noise { get; } = [|Random.Shared|].NextDouble(); }", "Tables.Noise" },
        { "new Grid()[p.L]", "public sealed class Grid { public double this[int i] => i * [|Random.Shared|].NextDouble(); }", "Grid.this[]" },
        { "(new Vec(p.U) + new Vec(1)).X", "public sealed class Vec { public Vec(double x) { X = x; } public double X { get; } public static Vec operator +(Vec a, Vec b) => new(a.X + b.X * [|Random.Shared|].NextDouble()); }", "Vec.operator +" },
        { "(-new Vec(p.U)).X", "public sealed class Vec { public Vec(double x) { X = x; } public double X { get; } public static Vec operator -(Vec a) => new(-a.X * [|Random.Shared|].NextDouble()); }", "Vec.operator -" },
        { "(double)new Vec(p.U)", "public sealed class Vec { public Vec(double x) { X = x; } public double X { get; } public static explicit operator double(Vec v) => v.X * [|Random.Shared|].NextDouble(); }", "Vec.explicit operator double" },
        { "Vec.Norm(p.U)", "public sealed class Vec { public Vec(double x) { X = x; } public double X { get; } public static double Norm(Vec v) => v.X; public static implicit operator Vec(double d) => new(d * [|Random.Shared|].NextDouble()); }", "Vec.implicit operator Vec" },
        { "p.U is var d ? Vec.Norm(d) : 0", "public sealed class Vec { public Vec(double x) { X = x; } public double X { get; } public static double Norm(Vec v) => v.X; public static implicit operator Vec(double d) => new(d * [|Random.Shared|].NextDouble()); }", "Vec.implicit operator Vec" },
        { "Potentials.Of(p.U).V(p.U)", "public interface IPotential { double V(double r); } public sealed class LennardJones : IPotential { public double V(double r) => r * [|Random.Shared|].NextDouble(); } public static class Potentials { public static IPotential Of(double c) => new LennardJones(); }", "LennardJones.V" },
        { "Lattices.Of().Sites(p.L)", "public abstract class Lattice { public abstract int Sites(int n); } public sealed class Chain : Lattice { public override int Sites(int n) => n * [|Random.Shared|].Next(); } public static class Lattices { public static Lattice Of() => new Chain(); }", "Chain.Sites" },
        { "Models.Of().Energy(p.U)", "public interface IModel<T> { T Energy(T x); } public sealed class Ising : IModel<double> { public double Energy(double x) => -x * [|Random.Shared|].NextDouble(); } public static class Models { public static IModel<double> Of() => new Ising(); }", "Ising.Energy" },
        { "Sorting.Max(p.U)", "public sealed class Descending : IComparer<double> { public int Compare(double a, double b) => b.CompareTo(a * [|Random.Shared|].NextDouble()); } public static class Sorting { public static double Max(double x) { var a = new[] { x, 1.0 }; Array.Sort(a, new Descending()); return a[0]; } }", "Descending.Compare" },
        { "Sorting.Max(p.U)", "public class Descending : IComparer<double> { public int Compare(double a, double b) => b.CompareTo(a * [|Random.Shared|].NextDouble()); } public sealed class Strict : Descending { } public static class Sorting { public static double Max(double x) { var a = new[] { x, 1.0 }; Array.Sort(a, new Strict()); return a[0]; } }", "Descending.Compare" },
        { "new Fine(p.U).Step", "public class Mesh { public Mesh(double h) { Step = h * [|Random.Shared|].NextDouble(); } public double Step { get; } } public sealed class Fine : Mesh { public Fine(double h) : base(h) { } }", "new Mesh()" },
        { "new Fine().Step", "public class Mesh { public Mesh() { Step = [|Random.Shared|].NextDouble(); } public double Step { get; } } public sealed class Fine : Mesh { }", "new Mesh()" },
        { "new Pair(p.U, 2) is (var a, var b) ? a + b : 0", "public sealed class Pair { private readonly double a, b; public Pair(double a, double b) { this.a = a; this.b = b; } public void Deconstruct(out double x, out double y) { x = a * [|Random.Shared|].NextDouble(); y = b; } }", "Pair.Deconstruct" },
        { "Pair.First(new Pair(p.U, 2))", "public sealed class Pair { private readonly double a, b; public Pair(double a, double b) { this.a = a; this.b = b; } public static double First(Pair pair) { var (x, _) = pair; return x; } public void Deconstruct(out double x, out double y) { x = a * [|Random.Shared|].NextDouble(); y = b; } }", "Pair.Deconstruct" },
        { "Bag.Sum(new Bag())", "public sealed class Bag { public static double Sum(Bag bag) { double s = 0; foreach (double x in bag) { s += x; } return s; } public Enumerator GetEnumerator() => new(); public struct Enumerator { private int _i; public double Current => _i; public bool MoveNext() => ++_i < [|Random.Shared|].Next(3); } }", "Enumerator.MoveNext" },
        { "new Bag { 1, 2 }.Total", "public sealed class Bag : System.Collections.IEnumerable { public double Total { get; private set; } public void Add(double x) => Total += x * [|Random.Shared|].NextDouble(); public System.Collections.IEnumerator GetEnumerator() => null!; }", "Bag.Add" },
    };

    [Theory]
    [MemberData(nameof(Reached))]
    public async Task CAIRN011_reports_a_use_in_any_code_a_step_reaches(string use, string reached, string through)
    {
        var diagnostics = await AnalyzerHarness.VerifyAsync(Cases.Campaign(
            solve: $"[Step, Output(\"psi\")] public static Psi Solve(Point p) => new({use}, [1.0]);",
            types: Cases.Types + "\n" + reached), "CAIRN011");

        Assert.StartsWith($"Step 'Solve' (through '{through}') uses 'Random.Shared'", Assert.Single(diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_no_step_reaches_is_not_reported()
    {
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compilation(Cases.Campaign(
            types: Cases.Types + "\npublic static class Tables { public static readonly double Noise = Random.Shared.NextDouble(); public static double Twice => 2 * Noise; }"))));
    }
}
