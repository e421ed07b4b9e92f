using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Cairn;

namespace Ballast;

/// <summary>A point that needs <see cref="Megabytes"/> of memory and <see cref="Seconds"/> of time.</summary>
public record Load(int Index, int Megabytes, int Seconds);

public record Held(long Checksum, int Megabytes);

public record Total(long Checksum, int Count);

/// <summary>
/// The Slurm tests' campaign: eight points, one of which holds 700 MiB for a few seconds, long
/// enough for Slurm's memory sampling (every second) to see it and kill a task with less memory;
/// with BALLAST_POINTS=N, N points of which every 50th from the sixth (5, 55, 105, ...) is big;
/// with BALLAST_SECONDS=S set (Slurm passes it on to the tasks) that point takes S seconds instead;
/// with BALLAST_ABORT=I point I aborts the process (Environment.FailFast).
/// </summary>
public static class Steps
{
    public const int Big = 5;

    [Points]
    public static IEnumerable<Load> Points()
    {
        int seconds = int.Parse(Environment.GetEnvironmentVariable("BALLAST_SECONDS") ?? "0", CultureInfo.InvariantCulture);
        int count = int.Parse(Environment.GetEnvironmentVariable("BALLAST_POINTS") ?? "8", CultureInfo.InvariantCulture);
        return Enumerable.Range(0, count).Select(i => i % 50 != Big ? new Load(i, 4, 0) : seconds > 0 ? new Load(i, 4, seconds) : new Load(i, 700, 0));
    }

    [Step, Output("held")]
    public static Held Hold(Load p)
    {
        if (Environment.GetEnvironmentVariable("BALLAST_ABORT") == p.Index.ToString(CultureInfo.InvariantCulture))
        {
            Environment.FailFast($"point {p.Index} aborts the process");
        }

        var ballast = new byte[p.Megabytes << 20];
        long checksum = 0;
        for (int i = 0; i < ballast.Length; i += 4096)
        {
            ballast[i] = (byte)(i / 4096 + p.Index);
            checksum += ballast[i];
        }

        if (p.Megabytes > 64 || p.Seconds > 0)
        {
            Thread.Sleep(p.Seconds > 0 ? p.Seconds * 1000 : 4000);
        }

        return new Held(checksum, p.Megabytes);
    }

    [Step, Output("total")]
    public static Total Sum([Input("held")] IReadOnlyList<Held> all) => new(all.Sum(h => h.Checksum), all.Count);
}
