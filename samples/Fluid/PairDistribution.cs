using System;
using System.Globalization;

namespace Fluid;

/// <summary>The radial distribution function g(r) of configurations in a cubic periodic box, by the minimum image.</summary>
internal static class PairDistribution
{
    /// <summary>
    /// g(r) in <paramref name="bins"/> shells out to half the box edge, averaged over the frames of
    /// an XYZ file (per frame: the atom count, a comment, then "type x y z" per atom).
    /// </summary>
    public static (double[] Radii, double[] Pair) Of(string xyz, double edge, int bins = 100)
    {
        string[] lines = xyz.Split('\n');
        int atoms = int.Parse(lines[0].Trim(), CultureInfo.InvariantCulture);
        double rMax = edge / 2;
        double width = rMax / bins;
        var counts = new long[bins];
        var position = new double[atoms, 3];
        int frames = 0;
        for (int start = 0; start + atoms + 2 <= lines.Length; start += atoms + 2)
        {
            for (int i = 0; i < atoms; i++)
            {
                string[] words = lines[start + i + 2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                for (int d = 0; d < 3; d++)
                {
                    position[i, d] = double.Parse(words[d + 1], CultureInfo.InvariantCulture);
                }
            }

            Count(position, edge, width, counts);
            frames++;
        }

        double density = atoms / (edge * edge * edge);
        var radii = new double[bins];
        var pair = new double[bins];
        for (int b = 0; b < bins; b++)
        {
            double inner = b * width;
            double outer = inner + width;
            double shell = 4.0 / 3.0 * Math.PI * ((outer * outer * outer) - (inner * inner * inner));
            radii[b] = inner + (width / 2);
            pair[b] = counts[b] / ((double)frames * atoms * density * shell);
        }

        return (radii, pair);
    }

    /// <summary>Adds each pair of atoms closer than half the edge (minimum image) to its shell, twice (once per atom).</summary>
    private static void Count(double[,] position, double edge, double width, long[] counts)
    {
        int atoms = position.GetLength(0);
        for (int i = 0; i < atoms; i++)
        {
            for (int j = i + 1; j < atoms; j++)
            {
                double r2 = 0;
                for (int d = 0; d < 3; d++)
                {
                    double delta = position[i, d] - position[j, d];
                    delta -= edge * Math.Round(delta / edge);
                    r2 += delta * delta;
                }

                int bin = (int)(Math.Sqrt(r2) / width);
                if (bin < counts.Length)
                {
                    counts[bin] += 2;
                }
            }
        }
    }
}
