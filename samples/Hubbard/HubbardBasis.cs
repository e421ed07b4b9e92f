using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;

namespace Hubbard;

/// <summary>
/// Basis of the half-filled, S_z = 0 sector of an L-site ring with closed-shell boundary conditions: product states of an up-spin and a
/// down-spin occupation bit pattern, each with L/2 fermions.
/// </summary>
internal sealed class HubbardBasis
{
    private readonly int _sites;
    private readonly int[] _patterns;
    private readonly Dictionary<int, int> _indexOf = new();
    private readonly (int Target, double Sign)[][] _hops;

    public HubbardBasis(int sites)
    {
        if (sites < 2 || sites % 2 != 0 || sites > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(sites), sites, "the chain length must be even, from 2 to 12");
        }

        _sites = sites;
        var patterns = new List<int>();
        for (int bits = 0; bits < 1 << sites; bits++)
        {
            if (BitOperations.PopCount((uint)bits) == sites / 2)
            {
                _indexOf[bits] = patterns.Count;
                patterns.Add(bits);
            }
        }

        _patterns = patterns.ToArray();
        _hops = Array.ConvertAll(_patterns, pattern => Hops(pattern).ToArray());
    }

    public int Dimension => _patterns.Length * _patterns.Length;

    /// <summary>How many sites of basis state <paramref name="k"/> hold both spins.</summary>
    public int DoublyOccupied(int k) => BitOperations.PopCount((uint)(_patterns[k / _patterns.Length] & _patterns[k % _patterns.Length]));

    /// <summary>y = H x with H = -sum over bonds and spins of (c†c + h.c.) + U sum_i n_i↑ n_i↓.</summary>
    public void Apply(double u, double[] x, double[] y)
    {
        int n = _patterns.Length;
        Array.Clear(y);
        for (int a = 0; a < n; a++)
        {
            int up = _patterns[a];
            for (int b = 0; b < n; b++)
            {
                int down = _patterns[b];
                int k = a * n + b;
                double amplitude = x[k];
                if (amplitude == 0)
                {
                    continue;
                }

                y[k] += u * BitOperations.PopCount((uint)(up & down)) * amplitude;
                foreach ((int target, double sign) in _hops[a])
                {
                    y[target * n + b] -= sign * amplitude;
                }

                foreach ((int target, double sign) in _hops[b])
                {
                    y[a * n + target] -= sign * amplitude;
                }
            }
        }
    }

    /// <summary>
    /// The index of every pattern one hop away, with its sign. Bonds inside the chain cross no other fermion; the
    /// bond closing the ring crosses all N - 1 others, (-1)^(N-1), times the boundary condition's phase: periodic
    /// for odd N = L/2, antiperiodic for even N. That choice (closed shells) leaves the free ground state of every
    /// L non-degenerate, so that sizes can be compared and extrapolated; with it the two signs always cancel.
    /// </summary>
    private IEnumerable<(int Target, double Sign)> Hops(int pattern)
    {
        for (int i = 0; i < _sites; i++)
        {
            int j = (i + 1) % _sites;
            bool atI = (pattern >> i & 1) != 0;
            bool atJ = (pattern >> j & 1) != 0;
            if (atI == atJ)
            {
                continue;
            }

            yield return (_indexOf[pattern ^ (1 << i) ^ (1 << j)], 1.0);
        }
    }
}
