using System.Collections.Generic;
using System.Linq;
using Cairn;

namespace Hubbard;

/// <summary>
/// The 1-D Hubbard chain with periodic boundaries at half filling: exact ground state by Lanczos,
/// then local observables, then statistics over the whole (U, L) grid.
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

    [Step, Output("summary")]
    public static Summary Summarize([Input("obs")] IReadOnlyList<Observables> all) =>
        new(all.Average(o => o.Gap), all.Max(o => o.DoubleOccupancy), all.Count);
}
