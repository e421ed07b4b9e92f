namespace Fluid;

/// <summary>A state point of the Lennard-Jones fluid, in reduced units (energy epsilon, length sigma, k_B = 1).</summary>
public record State(double Temperature, double Density);

/// <summary>What LAMMPS wrote for a state point, kept whole in the store: its log and ten configurations of its production run (XYZ).</summary>
public record Trajectory(byte[] Log, byte[] Frames);

/// <summary>Averages over the production run's thermo lines, with the pressure's standard error from block averages.</summary>
public record Thermo(double Temperature, double Pressure, double PressureError, double PotentialEnergy, double Compressibility);

/// <summary>The radial distribution function g(r), averaged over the configurations, and its first peak.</summary>
public record Structure(double[] Radii, double[] Pair, double PeakRadius, double PeakHeight);

/// <summary>One density's pressure against temperature, and the slope of a straight line through it (dP/dT at constant density).</summary>
public record Isochore(double[] Temperatures, double[] Pressures, double[] Errors, double Slope);
