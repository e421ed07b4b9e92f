using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Cairn;

namespace Fluid;

/// <summary>
/// The equation of state of the Lennard-Jones fluid, simulated by LAMMPS (an external MPI program,
/// two ranks per state point): per state point, the simulation, its thermodynamics and its pair
/// structure; then, per density, the pressure against temperature.
/// </summary>
public static class Steps
{
    /// <summary>Three supercritical temperatures (the critical point of this model is near T = 1.2) at three densities, from a dilute gas to a dense liquid.</summary>
    [Points]
    public static IEnumerable<State> Grid() =>
        from density in new[] { 0.1, 0.5, 0.8 }
        from temperature in new[] { 1.5, 2.0, 3.0 }
        select new State(temperature, density);

    /// <summary>
    /// LAMMPS, started through the site's MPI launcher with two ranks, in a scratch directory that
    /// is removed after: the log and the configurations go into the store, not beside it.
    /// The key counts the lmp file and LAMMPS's version: Debian's lmp is a small launcher of
    /// liblammps.so, so the version that <c>lmp -h</c> prints tells an upgrade of the library.
    /// The pattern keeps the version alone ("29 Sep 2021 - Update 2"): the help text also names
    /// the kernel of the machine it runs on, which would make every node's results differ.
    /// </summary>
    [Step, Runs("lmp", VersionArguments = "-h", VersionPattern = "Simulator - (.+)"), Resources(Ranks = 2), Output("md")]
    public static Trajectory Simulate(State s)
    {
        ProgramResult run = ExternalProgram.Run(
            "lmp",
            ["-in", "in.lj", "-log", "log.lammps", "-screen", "none", "-nocite"],
            files: new Dictionary<string, string> { ["in.lj"] = Deck.For(s) },
            keep: ["log.lammps", "frames.xyz"],
            timeout: TimeSpan.FromMinutes(5));
        return new Trajectory(run.Files["log.lammps"], run.Files["frames.xyz"]);
    }

    /// <summary>Averages of the production run's thermo lines; Z = P / (rho T) is the compressibility factor (1 for an ideal gas).</summary>
    [Step, Output("thermo")]
    public static Thermo Measure([Input("md")] Trajectory md, State s)
    {
        Dictionary<string, double[]> table = ThermoLog.LastTable(Encoding.UTF8.GetString(md.Log));
        double pressure = table["Press"].Average();
        return new Thermo(
            table["Temp"].Average(),
            pressure,
            ThermoLog.BlockError(table["Press"]),
            table["PotEng"].Average(),
            pressure / (s.Density * s.Temperature));
    }

    /// <summary>g(r) averaged over the production run's configurations, computed here from the file LAMMPS wrote.</summary>
    [Step(Final = true), Output("structure")]
    public static Structure Pairs([Input("md")] Trajectory md, State s)
    {
        double edge = Math.Cbrt(Deck.Atoms / s.Density);
        (double[] radii, double[] pair) = PairDistribution.Of(Encoding.UTF8.GetString(md.Frames), edge);
        int peak = Array.IndexOf(pair, pair.Max());
        return new Structure(radii, pair, radii[peak], pair[peak]);
    }

    /// <summary>Per density: the pressure against temperature, and dP/dT at constant density from a least-squares line.</summary>
    [Step, GroupBy(nameof(State.Density)), Output("isochores")]
    public static Isochore Isochore([Input("thermo")] IReadOnlyList<Thermo> thermo, IReadOnlyList<State> points)
    {
        int[] order = [.. Enumerable.Range(0, points.Count).OrderBy(i => points[i].Temperature)];
        double[] t = [.. order.Select(i => points[i].Temperature)];
        double[] p = [.. order.Select(i => thermo[i].Pressure)];
        double meanT = t.Average();
        double meanP = p.Average();
        double slope = t.Zip(p, (x, y) => (x - meanT) * (y - meanP)).Sum() / t.Sum(x => (x - meanT) * (x - meanT));
        return new Isochore(t, p, [.. order.Select(i => thermo[i].PressureError)], slope);
    }
}
