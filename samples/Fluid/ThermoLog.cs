using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Fluid;

/// <summary>Reads the thermo table of the last run in a LAMMPS log: the lines between its "Step ..." header and "Loop time".</summary>
internal static class ThermoLog
{
    /// <summary>The columns of the last thermo table, by the names of its header.</summary>
    public static Dictionary<string, double[]> LastTable(string log)
    {
        string[] lines = log.Split('\n');
        int header = Array.FindLastIndex(lines, l => l.TrimStart().StartsWith("Step ", StringComparison.Ordinal));
        if (header < 0)
        {
            throw new FormatException("the LAMMPS log has no thermo table (no line starts with \"Step\")");
        }

        string[] names = lines[header].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var rows = new List<double[]>();
        for (int i = header + 1; i < lines.Length && !lines[i].StartsWith("Loop time", StringComparison.Ordinal); i++)
        {
            string[] words = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == names.Length)
            {
                rows.Add([.. words.Select(w => double.Parse(w, CultureInfo.InvariantCulture))]);
            }
        }

        return names.Select((name, column) => (name, column)).ToDictionary(c => c.name, c => rows.Select(r => r[c.column]).ToArray());
    }

    /// <summary>The standard error of the mean of a correlated series, from the spread of the means of <paramref name="blocks"/> consecutive blocks.</summary>
    public static double BlockError(double[] series, int blocks = 10)
    {
        int size = series.Length / blocks;
        double[] means = [.. Enumerable.Range(0, blocks).Select(b => series.Skip(b * size).Take(size).Average())];
        double mean = means.Average();
        return Math.Sqrt(means.Sum(m => (m - mean) * (m - mean)) / (blocks - 1) / blocks);
    }
}
