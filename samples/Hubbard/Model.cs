namespace Hubbard;

/// <summary>One parameter point: the on-site repulsion U (in units of the hopping t) and the chain length.</summary>
public record Point(double Coupling, int Size);

/// <summary>The ground state in the half-filled S_z = 0 sector, and the next Ritz value of the same sector.</summary>
public record Wavefunction(double Energy, double ExcitedEnergy, double[] Amplitudes);

/// <summary>Observables measured on the ground state.</summary>
public record Observables(double EnergyPerSite, double DoubleOccupancy, double Gap);

/// <summary>Statistics over all points.</summary>
public record Summary(double MeanGap, double MaxDoubleOccupancy, int Count);
