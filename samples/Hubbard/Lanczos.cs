using System;

namespace Hubbard;

/// <summary>Lanczos with full re-orthogonalization: the two lowest Ritz values and the ground-state vector.</summary>
internal static class Lanczos
{
    public static (double E0, double E1, double[] Vector) LowestStates(int dimension, Action<double[], double[]> apply, int maxIterations = 150)
    {
        int m = Math.Min(dimension, maxIterations);
        var basis = new double[m][];
        var alpha = new double[m];
        var beta = new double[m];
        var v = new double[dimension];
        for (int k = 0; k < dimension; k++)
        {
            v[k] = 1 + 0.1 * Math.Sin(k + 1);
        }

        Scale(v, 1 / Norm(v));
        var w = new double[dimension];
        int steps = 0;
        for (int j = 0; j < m; j++)
        {
            basis[j] = (double[])v.Clone();
            steps = j + 1;
            apply(v, w);
            alpha[j] = Dot(w, v);
            for (int i = 0; i <= j; i++)
            {
                double overlap = Dot(w, basis[i]);
                for (int k = 0; k < dimension; k++)
                {
                    w[k] -= overlap * basis[i][k];
                }
            }

            beta[j] = Norm(w);
            if (beta[j] < 1e-10 || j == m - 1)
            {
                break;
            }

            for (int k = 0; k < dimension; k++)
            {
                v[k] = w[k] / beta[j];
            }
        }

        var t = new double[steps, steps];
        for (int i = 0; i < steps; i++)
        {
            t[i, i] = alpha[i];
            if (i + 1 < steps)
            {
                t[i, i + 1] = t[i + 1, i] = beta[i];
            }
        }

        (double[] values, double[,] vectors) = Jacobi.Eigen(t);
        int lowest = 0;
        int next = -1;
        for (int i = 1; i < steps; i++)
        {
            if (values[i] < values[lowest])
            {
                lowest = i;
            }
        }

        for (int i = 0; i < steps; i++)
        {
            if (i != lowest && (next < 0 || values[i] < values[next]))
            {
                next = i;
            }
        }

        var ground = new double[dimension];
        for (int j = 0; j < steps; j++)
        {
            for (int k = 0; k < dimension; k++)
            {
                ground[k] += vectors[j, lowest] * basis[j][k];
            }
        }

        Scale(ground, 1 / Norm(ground));
        return (values[lowest], next < 0 ? values[lowest] : values[next], ground);
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int k = 0; k < a.Length; k++)
        {
            sum += a[k] * b[k];
        }

        return sum;
    }

    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    private static void Scale(double[] a, double factor)
    {
        for (int k = 0; k < a.Length; k++)
        {
            a[k] *= factor;
        }
    }
}
