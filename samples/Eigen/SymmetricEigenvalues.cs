using System;

namespace Eigen;

/// <summary>Eigenvalues of a dense symmetric matrix: Householder reduction to tridiagonal form, then implicit QL.</summary>
internal static class SymmetricEigenvalues
{
    public static double[] Of(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var d = new double[n];
        var e = new double[n];
        Tridiagonalize(a, d, e);
        QlImplicit(d, e);
        return d;
    }

    /// <summary>Householder reduction (eigenvalues only): diagonal in d, sub-diagonal in e[1..].</summary>
    private static void Tridiagonalize(double[,] a, double[] d, double[] e)
    {
        int n = d.Length;
        for (int i = n - 1; i > 0; i--)
        {
            int l = i - 1;
            double h = 0;
            if (l > 0)
            {
                double scale = 0;
                for (int k = 0; k <= l; k++)
                {
                    scale += Math.Abs(a[i, k]);
                }

                if (scale == 0)
                {
                    e[i] = a[i, l];
                }
                else
                {
                    for (int k = 0; k <= l; k++)
                    {
                        a[i, k] /= scale;
                        h += a[i, k] * a[i, k];
                    }

                    double f = a[i, l];
                    double g = f >= 0 ? -Math.Sqrt(h) : Math.Sqrt(h);
                    e[i] = scale * g;
                    h -= f * g;
                    a[i, l] = f - g;
                    f = 0;
                    for (int j = 0; j <= l; j++)
                    {
                        g = 0;
                        for (int k = 0; k <= j; k++)
                        {
                            g += a[j, k] * a[i, k];
                        }

                        for (int k = j + 1; k <= l; k++)
                        {
                            g += a[k, j] * a[i, k];
                        }

                        e[j] = g / h;
                        f += e[j] * a[i, j];
                    }

                    double hh = f / (h + h);
                    for (int j = 0; j <= l; j++)
                    {
                        f = a[i, j];
                        e[j] = g = e[j] - hh * f;
                        for (int k = 0; k <= j; k++)
                        {
                            a[j, k] -= f * e[k] + g * a[i, k];
                        }
                    }
                }
            }
            else
            {
                e[i] = a[i, l];
            }

            d[i] = h;
        }

        for (int i = 0; i < n; i++)
        {
            d[i] = a[i, i];
        }
    }

    /// <summary>Implicit QL with Wilkinson shifts on the tridiagonal matrix (d, e).</summary>
    private static void QlImplicit(double[] d, double[] e)
    {
        int n = d.Length;
        for (int i = 1; i < n; i++)
        {
            e[i - 1] = e[i];
        }

        e[n - 1] = 0;
        for (int l = 0; l < n; l++)
        {
            int iterations = 0;
            int m;
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    double dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= double.Epsilon * dd || Math.Abs(e[m]) + dd == dd)
                    {
                        break;
                    }
                }

                if (m != l)
                {
                    if (++iterations > 60)
                    {
                        throw new ArithmeticException("QL iteration did not converge");
                    }

                    double g = (d[l + 1] - d[l]) / (2 * e[l]);
                    double r = Hypot(g, 1);
                    g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.Abs(r) : -Math.Abs(r)));
                    double s = 1, c = 1, p = 0;
                    int i;
                    for (i = m - 1; i >= l; i--)
                    {
                        double f = s * e[i];
                        double b = c * e[i];
                        e[i + 1] = r = Hypot(f, g);
                        if (r == 0)
                        {
                            d[i + 1] -= p;
                            e[m] = 0;
                            break;
                        }

                        s = f / r;
                        c = g / r;
                        g = d[i + 1] - p;
                        r = (d[i] - g) * s + 2 * c * b;
                        d[i + 1] = g + (p = s * r);
                        g = c * r - b;
                    }

                    if (r == 0 && i >= l)
                    {
                        continue;
                    }

                    d[l] -= p;
                    e[l] = g;
                    e[m] = 0;
                }
            }
            while (m != l);
        }
    }

    private static double Hypot(double a, double b) => Math.Sqrt(a * a + b * b);
}
