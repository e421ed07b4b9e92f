using System.Collections.Generic;
using System.Linq;
using Cairn;

namespace Hubbard;

/// <summary>
/// The 1-D Hubbard ring at half filling (closed-shell boundary conditions, see <see cref="HubbardBasis"/>): exact ground state by Lanczos,
/// then local observables, then per chain length the curves against U, then at each U the gap
/// extrapolated in 1/L to the infinite chain.
/// </summary>
public static class Steps
{
    [Points]
    public static IEnumerable<Point> Grid() =>
        from size in new[] { 4, 6, 8 }
        from u in Enumerable.Range(0, 33)
        select new Point(u * 0.25, size);

    /// <summary>The ground state; its amplitudes go to HDF5, where h5py reads them as arrays.</summary>
    [Step, Output("psi", Container = Container.Hdf5)]
    public static Wavefunction Solve(Point p)
    {
        var basis = new HubbardBasis(p.Size);
        (double e0, double e1, double[] vector) = Lanczos.LowestStates(basis.Dimension, (x, y) => basis.Apply(p.Coupling, x, y));
        return new Wavefunction(e0, e1, vector);
    }

    [Step, Output("obs")]
    public static Observables Measure([Input("psi")] Wavefunction psi, Point p)
    {
        var basis = new HubbardBasis(p.Size);
        double doubles = 0;
        for (int k = 0; k < basis.Dimension; k++)
        {
            doubles += psi.Amplitudes[k] * psi.Amplitudes[k] * basis.DoublyOccupied(k);
        }

        return new Observables(psi.Energy / p.Size, doubles / p.Size, psi.ExcitedEnergy - psi.Energy);
    }

    /// <summary>Per chain length: the gap, double occupancy and energy against U (a grouped reduction, once per Size).</summary>
    [Step, GroupBy(nameof(Point.Size)), Output("curves")]
    public static SizeCurve Curve([Input("obs")] IReadOnlyList<Observables> obs, IReadOnlyList<Point> points)
    {
        int[] byCoupling = [.. Enumerable.Range(0, points.Count).OrderBy(i => points[i].Coupling)];
        return new SizeCurve(
            [.. byCoupling.Select(i => points[i].Coupling)],
            [.. byCoupling.Select(i => obs[i].Gap)],
            [.. byCoupling.Select(i => obs[i].DoubleOccupancy)],
            [.. byCoupling.Select(i => obs[i].EnergyPerSite)]);
    }

    /// <summary>At each U that every chain length has: the gap extrapolated linearly in 1/L (a reduction over all sizes' curves).</summary>
    [Step, Output("limit")]
    public static Extrapolation Extrapolate([Input("curves")] IReadOnlyDictionary<int, SizeCurve> curves)
    {
        int[] sizes = [.. curves.Keys];
        double[] couplings = [.. curves.Values.Select(c => c.Couplings).Aggregate((a, b) => [.. a.Intersect(b)])];
        var atInfinity = new double[couplings.Length];
        var slope = new double[couplings.Length];
        for (int k = 0; k < couplings.Length; k++)
        {
            double[] x = [.. sizes.Select(l => 1.0 / l)];
            double[] y = [.. sizes.Select(l => curves[l].Gaps[System.Array.IndexOf(curves[l].Couplings, couplings[k])])];
            double meanX = x.Average();
            double meanY = y.Average();
            slope[k] = x.Zip(y, (a, b) => (a - meanX) * (b - meanY)).Sum() / x.Sum(a => (a - meanX) * (a - meanX));
            atInfinity[k] = meanY - (slope[k] * meanX);
        }

        return new Extrapolation(couplings, atInfinity, slope, sizes);
    }
}
