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
        { "Waits.Value(p.U)", "public readonly struct Later { public Later(double v) { V = v; } public double V { get; } } public readonly struct Awaiter : System.Runtime.CompilerServices.INotifyCompletion { private readonly double _v; public Awaiter(double v) { _v = v; } public bool IsCompleted => true; public double GetResult() => _v * 1; public void OnCompleted(Action next) => next(); } public static class Waits { public static double Value(double x) => Twice(x).Result; private static async System.Threading.Tasks.Task<double> Twice(double x) => await new Later(x); public static Awaiter GetAwaiter(this Later later) => new(later.V * [|Random.Shared|].NextDouble()); }", "Waits.GetAwaiter" },
        { "Waits.Value(p.U)", "public readonly struct Later { public Later(double v) { V = v; } public double V { get; } } public readonly struct Awaiter : System.Runtime.CompilerServices.INotifyCompletion { private readonly double _v; public Awaiter(double v) { _v = v; } public bool IsCompleted => true; public double GetResult() => _v * [|Random.Shared|].NextDouble(); public void OnCompleted(Action next) => next(); } public static class Waits { public static double Value(double x) => Twice(x).Result; private static async System.Threading.Tasks.Task<double> Twice(double x) => await new Later(x); public static Awaiter GetAwaiter(this Later later) => new(later.V * 1); }", "Awaiter.GetResult" },
        { "Scopes.Count()", "public sealed class Log { public double Sum; } public ref struct Scope { private readonly Log _log; public Scope(Log log) { _log = log; } public void Dispose() { _log.Sum += [|Random.Shared|].NextDouble(); } } public static class Scopes { public static double Count() { var log = new Log(); using (new Scope(log)) { } return log.Sum; } }", "Scope.Dispose" },
        { "Scopes.Count()", "public sealed class Log { public double Sum; } public ref struct Scope { private readonly Log _log; public Scope(Log log) { _log = log; } public void Dispose() { _log.Sum += [|Random.Shared|].NextDouble(); } } public static class Scopes { public static double Count() { var log = new Log(); Use(log); return log.Sum; } private static void Use(Log log) { using var scope = new Scope(log); } }", "Scope.Dispose" },
        { "Bag.Sum(new Bag())", "public sealed class Bag { public double Disposed; public static double Sum(Bag bag) { double s = 0; foreach (double x in bag) { s += x; } return s + bag.Disposed; } public Enumerator GetEnumerator() => new(this); public ref struct Enumerator { private readonly Bag _bag; private int _i; public Enumerator(Bag bag) { _bag = bag; _i = 0; } public double Current => _i; public bool MoveNext() => ++_i < 3; public void Dispose() => _bag.Disposed += [|Random.Shared|].NextDouble(); } }", "Enumerator.Dispose" },
        { "(from v in new Box(p.U) select v * 2).V", "public readonly struct Box { public Box(double v) { V = v; } public double V { get; } public Box Select(Func<double, double> f) => new(f(V) * [|Random.Shared|].NextDouble()); public Box Where(Func<double, bool> f) => f(V * 1) ? this : new(0); }", "Box.Select" },
        { "(from v in new Box(p.U) where v > 0 select v).V", "public readonly struct Box { public Box(double v) { V = v; } public double V { get; } public Box Select(Func<double, double> f) => new(f(V) * 1); public Box Where(Func<double, bool> f) => f(V * [|Random.Shared|].NextDouble()) ? this : new(0); }", "Box.Where" },
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
    public async Task CAIRN011_reports_a_use_in_code_that_a_steps_inputs_run()
    {
        // Solve makes no Point, yet sorting them would run the CompareTo of those it receives.
        var diagnostics = await AnalyzerHarness.VerifyAsync(Cases.Campaign(
            types: Cases.Types.Replace("public record Point(double U, int L);", "public record Point(double U, int L) : IComparable<Point> { public int CompareTo(Point? other) => U.CompareTo(other!.U * [|Random.Shared|].NextDouble()); }", System.StringComparison.Ordinal)), "CAIRN011");

        Assert.StartsWith("Step 'Solve' (through 'Point.CompareTo') uses 'Random.Shared'", Assert.Single(diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_no_step_reaches_is_not_reported()
    {
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(AnalyzerHarness.Compilation(Cases.Campaign(
            types: Cases.Types + "\npublic static class Tables { public static readonly double Noise = Random.Shared.NextDouble(); public static double Twice => 2 * Noise; }"))));
    }
}
