namespace Hubbard;

/// <summary>One parameter point: the on-site repulsion U (in units of the hopping t) and the chain length.</summary>
public record Point(double Coupling, int Size);

/// <summary>The ground state in the half-filled S_z = 0 sector, and the next Ritz value of the same sector.</summary>
public record Wavefunction(double Energy, double ExcitedEnergy, double[] Amplitudes);

/// <summary>Observables measured on the ground state.</summary>
public record Observables(double EnergyPerSite, double DoubleOccupancy, double Gap);

/// <summary>One chain length's observables against the coupling U, in increasing U.</summary>
public record SizeCurve(double[] Couplings, double[] Gaps, double[] DoubleOccupancies, double[] EnergiesPerSite);

/// <summary>
/// The gap at each coupling U extrapolated to the infinite chain: the least-squares line
/// gap(L) = GapAtInfinity + Slope / L through the chain lengths that have U.
/// </summary>
public record Extrapolation(double[] Couplings, double[] GapAtInfinity, double[] Slope, int[] Sizes);
