using System.Collections.Generic;
using Xunit;

namespace Cairn.Generator.Tests;

/// <summary>
/// Every kind of project code a step can reach besides the methods it calls by name: an edit to it
/// changes the hash of the step that reaches it, and of no other step.
/// </summary>
public class StepHashCoverageTests
{
    private const string Campaign = """
        using System.Collections.Generic;
        using Cairn;

        public record Point(double Coupling, int Size);
        public record Result(double Value);

        public static class Steps
        {
            [Points]
            public static IEnumerable<Point> Grid() => [new Point(0.1, 8)];

            [Step, Output("reaches")]
            public static Result Reaches(Point p) => new(USE);

            [Step, Output("other")]
            public static Result Other(Point p) => new(p.Coupling);
        }
        """;

    /// <summary>What the step computes (its value), the code it reaches, and that code's edit (before => after).</summary>
    public static TheoryData<string, string, string> Reached => new()
    {
        { "Tables.Beta", "public static class Tables { public const double Beta = 0.5; }", "0.5 => 0.25" },
        { "Tables.Gamma", "public static class Tables { public const double Beta = 0.5; public const double Gamma = 2 * Beta; }", "0.5 => 0.25" },
        { "Tables.Weights[1]", "public static class Tables { public static readonly double[] Weights = [1, 2, 3]; }", "[1, 2, 3] => [1, 4, 3]" },
        { "Tables.Weights[1]", "public static class Tables { public static readonly float[] Weights = [1, 2, 3]; }", "float => double" },
        { "Tables.Weights[1]", "public static class Tables { public static readonly double[] Weights; static Tables() { Weights = [1, 2, 3]; } }", "[1, 2, 3] => [1, 4, 3]" },
        { "(double)Mode.Fine", "public enum Mode { Coarse, Fine }", "Coarse, => Coarse, Medium," },
        { "Tables.Twice(p.Size)", "public static class Tables { private static readonly int s_factor = 2; public static int Twice(int n) => s_factor * n; }", "= 2; => = 3;" },
        { "(new Vec(p.Coupling) + new Vec(1)).X", "public sealed class Vec { public Vec(double x) { X = x; } public double X { get; } public static Vec operator +(Vec a, Vec b) => new(a.X + b.X); }", "a.X + b.X => a.X - b.X" },
        { "(-new Vec(p.Coupling)).X", "public sealed class Vec { public Vec(double x) { X = x; } public double X { get; } public static Vec operator -(Vec a) => new(-a.X); }", "new(-a.X) => new(a.X)" },
        { "(double)new Vec(p.Coupling)", "public sealed class Vec { public Vec(double x) { X = x; } public double X { get; } public static explicit operator double(Vec v) => v.X; }", "=> v.X; => => 2 * v.X;" },
        { "Vec.Norm(p.Coupling)", "public sealed class Vec { public Vec(double x) { X = x; } public double X { get; } public static double Norm(Vec v) => v.X; public static implicit operator Vec(double d) => new(d); }", "new(d) => new(2 * d)" },
        { "p.Coupling is var d ? Vec.Norm(d) : 0", "public sealed class Vec { public Vec(double x) { X = x; } public double X { get; } public static double Norm(Vec v) => v.X; public static implicit operator Vec(double d) => new(d); }", "new(d) => new(2 * d)" },
        { "Potentials.Of(p.Coupling).V(p.Coupling)", "public interface IPotential { double V(double r); } public sealed class LennardJones : IPotential { public double V(double r) => 4 * (System.Math.Pow(r, -12) - System.Math.Pow(r, -6)); } public static class Potentials { public static IPotential Of(double c) => new LennardJones(); }", "4 * ( => 5 * (" },
        { "Lattices.Of().Sites(p.Size)", "public abstract class Lattice { public abstract int Sites(int n); } public sealed class Chain : Lattice { public override int Sites(int n) => n; } public static class Lattices { public static Lattice Of() => new Chain(); }", "=> n; => => 2 * n;" },
        { "Models.Of().Energy(p.Coupling)", "public interface IModel<T> { T Energy(T x); } public sealed class Ising : IModel<double> { public double Energy(double x) => -x; } public static class Models { public static IModel<double> Of() => new Ising(); }", "=> -x; => => -2 * x;" },
        { "Sorting.Max(p.Coupling)", "public sealed class Descending : System.Collections.Generic.IComparer<double> { public int Compare(double a, double b) => b.CompareTo(a); } public static class Sorting { public static double Max(double x) { var a = new[] { x, 1.0 }; System.Array.Sort(a, new Descending()); return a[0]; } }", "b.CompareTo(a) => a.CompareTo(b)" },
        { "Sorting.Max(p.Coupling)", "public class Descending : System.Collections.Generic.IComparer<double> { public int Compare(double a, double b) => b.CompareTo(a); } public sealed class Strict : Descending { } public static class Sorting { public static double Max(double x) { var a = new[] { x, 1.0 }; System.Array.Sort(a, new Strict()); return a[0]; } }", "b.CompareTo(a) => a.CompareTo(b)" },
        { "new Fine(p.Coupling).Step", "public class Mesh { public Mesh(double h) { Step = h / 2; } public double Step { get; } } public sealed class Fine : Mesh { public Fine(double h) : base(h) { } }", "h / 2 => h / 4" },
        { "new Fine().Step", "public class Mesh { public Mesh() { Step = 0.5; } public double Step { get; } } public sealed class Fine : Mesh { }", "0.5 => 0.25" },
        { "new Grid()[p.Size]", "public sealed class Grid { public double this[int i] => i / 2.0; }", "i / 2.0 => i / 3.0" },
        { "new Pair(p.Coupling, 2) is (var a, var b) ? a + b : 0", "public sealed class Pair { private readonly double a, b; public Pair(double a, double b) { this.a = a; this.b = b; } public void Deconstruct(out double x, out double y) { x = a; y = b; } }", "x = a; y = b; => x = b; y = a;" },
        { "Pair.First(new Pair(p.Coupling, 2))", "public sealed class Pair { private readonly double a, b; public Pair(double a, double b) { this.a = a; this.b = b; } public static double First(Pair pair) { var (x, _) = pair; return x; } public void Deconstruct(out double x, out double y) { x = a; y = b; } }", "x = a; y = b; => x = b; y = a;" },
        { "Bag.Sum(new Bag())", "public sealed class Bag { public static double Sum(Bag bag) { double s = 0; foreach (double x in bag) { s += x; } return s; } public Enumerator GetEnumerator() => new(); public struct Enumerator { private int _i; public double Current => _i; public bool MoveNext() => ++_i < 3; } }", "++_i < 3 => ++_i < 4" },
        { "new Bag { 1, 2 }.Total", "public sealed class Bag : System.Collections.IEnumerable { public double Total { get; private set; } public void Add(double x) => Total += x; public System.Collections.IEnumerator GetEnumerator() => null!; }", "Total += x => Total += 2 * x" },
        { "Waits.Value(p.Coupling)", "public readonly struct Later { public Later(double v) { V = v; } public double V { get; } } public readonly struct Awaiter : System.Runtime.CompilerServices.INotifyCompletion { private readonly double _v; public Awaiter(double v) { _v = v; } public bool IsCompleted => true; public double GetResult() => _v; public void OnCompleted(System.Action next) => next(); } public static class Waits { public static double Value(double x) => Twice(x).Result; private static async System.Threading.Tasks.Task<double> Twice(double x) => await new Later(x); public static Awaiter GetAwaiter(this Later later) => new(later.V); }", "new(later.V) => new(2 * later.V)" },
        { "Waits.Value(p.Coupling)", "public readonly struct Later { public Later(double v) { V = v; } public double V { get; } } public readonly struct Awaiter : System.Runtime.CompilerServices.INotifyCompletion { private readonly double _v; public Awaiter(double v) { _v = v; } public bool IsCompleted => true; public double GetResult() => _v; public void OnCompleted(System.Action next) => next(); } public static class Waits { public static double Value(double x) => Twice(x).Result; private static async System.Threading.Tasks.Task<double> Twice(double x) => await new Later(x); public static Awaiter GetAwaiter(this Later later) => new(later.V); }", "_v; public void OnCompleted => 2 * _v; public void OnCompleted" },
        { "Scopes.Count()", "public sealed class Log { public double Sum; } public ref struct Scope { private readonly Log _log; public Scope(Log log) { _log = log; } public void Dispose() { _log.Sum += 1; } } public static class Scopes { public static double Count() { var log = new Log(); using (new Scope(log)) { } return log.Sum; } }", "Sum += 1 => Sum += 2" },
        { "Scopes.Count()", "public sealed class Log { public double Sum; } public ref struct Scope { private readonly Log _log; public Scope(Log log) { _log = log; } public void Dispose() { _log.Sum += 1; } } public static class Scopes { public static double Count() { var log = new Log(); Use(log); return log.Sum; } private static void Use(Log log) { using var scope = new Scope(log); } }", "Sum += 1 => Sum += 2" },
        { "Bag.Sum(new Bag())", "public sealed class Bag { public int Disposed; public static double Sum(Bag bag) { double s = 0; foreach (double x in bag) { s += x; } return s + bag.Disposed; } public Enumerator GetEnumerator() => new(this); public ref struct Enumerator { private readonly Bag _bag; private int _i; public Enumerator(Bag bag) { _bag = bag; _i = 0; } public double Current => _i; public bool MoveNext() => ++_i < 3; public void Dispose() => _bag.Disposed += 1; } }", "Disposed += 1 => Disposed += 2" },
        { "(from v in new Box(p.Coupling) select v * 2).V", "public readonly struct Box { public Box(double v) { V = v; } public double V { get; } public Box Select(System.Func<double, double> f) => new(f(V)); public Box Where(System.Func<double, bool> f) => f(V) ? this : new(0); }", "new(f(V)) => new(f(2 * V))" },
        { "(from v in new Box(p.Coupling) where v > 0 select v).V", "public readonly struct Box { public Box(double v) { V = v; } public double V { get; } public Box Select(System.Func<double, double> f) => new(f(V)); public Box Where(System.Func<double, bool> f) => f(V) ? this : new(0); }", "this : new(0) => this : new(1)" },
    };

    [Theory]
    [MemberData(nameof(Reached))]
    public void An_edit_to_code_a_step_reaches_changes_that_steps_hash_alone(string use, string declaration, string edit)
    {
        string campaign = Campaign.Replace("USE", use, System.StringComparison.Ordinal);
        string[] parts = edit.Split(" => ");
        string edited = declaration.Replace(parts[0], parts[1], System.StringComparison.Ordinal);
        Assert.NotEqual(declaration, edited);
        Dictionary<string, string> before = GeneratorHarness.StepHashes(campaign, declaration);
        Dictionary<string, string> after = GeneratorHarness.StepHashes(campaign, edited);
        Assert.NotEqual(before["Reaches"], after["Reaches"]);
        Assert.Equal(before["Other"], after["Other"]);
    }

    [Fact]
    public void An_edit_to_code_that_a_steps_inputs_run_changes_the_hash_of_the_step_that_receives_them()
    {
        // Median makes no Sample, yet List.Sort runs the CompareTo of those it receives.
        const string campaign = """
            using System.Collections.Generic;
            using Cairn;

            public record Point(double Coupling, int Size);
            public record Sample(double X) : System.IComparable<Sample> { public int CompareTo(Sample? other) => X.CompareTo(other!.X); }
            public record Result(double Value);

            public static class Steps
            {
                [Points]
                public static IEnumerable<Point> Grid() => [new Point(0.1, 8)];

                [Step, Output("samples")]
                public static Sample Draw(Point p) => new(p.Coupling);

                [Step, Output("median")]
                public static Result Median([Input("samples")] IReadOnlyList<Sample> samples)
                {
                    var sorted = new List<Sample>(samples);
                    sorted.Sort();
                    return new(sorted[sorted.Count / 2].X);
                }

                [Step, Output("other")]
                public static Result Other(Point p) => new(p.Coupling);
            }
            """;
        Dictionary<string, string> before = GeneratorHarness.StepHashes(campaign);
        Dictionary<string, string> after = GeneratorHarness.StepHashes(campaign.Replace("X.CompareTo(other!.X)", "other!.X.CompareTo(X)", System.StringComparison.Ordinal));
        Assert.NotEqual(before["Median"], after["Median"]);
        Assert.Equal(before["Other"], after["Other"]);
    }

    [Fact]
    public void An_edit_to_a_constant_the_step_does_not_reach_changes_no_hash()
    {
        string campaign = Campaign.Replace("USE", "Tables.Beta", System.StringComparison.Ordinal);
        const string Tables = "public static class Tables { public const double Beta = 0.5; } public static class Unused { public const double Delta = 1; }";
        Assert.Equal(GeneratorHarness.StepHashes(campaign, Tables), GeneratorHarness.StepHashes(campaign, Tables.Replace("Delta = 1", "Delta = 2", System.StringComparison.Ordinal)));
    }
}
