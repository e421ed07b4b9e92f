using System;
using System.Collections.Generic;
using System.Linq;
using Cairn;

namespace Eigen;

/// <summary>The classic random-matrix example: GOE matrices, their spectra, and ensemble statistics.</summary>
public static class Steps
{
    [Points]
    public static IEnumerable<Sample> Matrices() => Enumerable.Range(1, 400).Select(seed => new Sample(seed, 40));

    [Step]
    public static Spectrum Diagonalize(Sample sample)
    {
        var random = new Random(sample.Seed);
        int n = sample.Size;
        var matrix = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                // GOE: off-diagonal variance 1/2, diagonal variance 1.
                double value = Gaussian(random) * (i == j ? 1 : Math.Sqrt(0.5));
                matrix[i, j] = matrix[j, i] = value;
            }
        }

        double[] values = SymmetricEigenvalues.Of(matrix);
        Array.Sort(values);
        return new Spectrum(values);
    }

    [Step]
    public static Extremes Edges([Input("Diagonalize")] Spectrum spectrum) =>
        new(spectrum.Eigenvalues[..5], spectrum.Eigenvalues[^5..]);

    [Step, Output("ensemble")]
    public static Ensemble Statistics([Input("Diagonalize")] IReadOnlyList<Spectrum> spectra, [Input("Edges")] IReadOnlyList<Extremes> edges)
    {
        double ratios = 0;
        int count = 0;
        foreach (Spectrum spectrum in spectra)
        {
            double[] e = spectrum.Eigenvalues;
            for (int i = 1; i + 1 < e.Length; i++)
            {
                double a = e[i] - e[i - 1];
                double b = e[i + 1] - e[i];
                ratios += Math.Min(a, b) / Math.Max(a, b);
                count++;
            }
        }

        return new Ensemble(ratios / count, edges.Average(x => x.Lowest[0]), edges.Average(x => x.Highest[^1]), spectra.Count);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
