namespace Eigen;

/// <summary>One random matrix of the ensemble: its seed and its size.</summary>
public record Sample(int Seed, int Size);

/// <summary>All eigenvalues, ascending.</summary>
public record Spectrum(double[] Eigenvalues);

/// <summary>The five lowest and five highest eigenvalues.</summary>
public record Extremes(double[] Lowest, double[] Highest);

/// <summary>
/// Ensemble statistics: the mean ratio of consecutive level spacings (about 0.5307 for the
/// Gaussian orthogonal ensemble, 0.3863 for uncorrelated levels) and the mean extreme eigenvalues.
/// </summary>
public record Ensemble(double MeanSpacingRatio, double MeanLowest, double MeanHighest, int Samples);
