using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Cairn;

namespace Mishap;

public record Case(int Index);

public record Value(long Square, string Label);

public record Total(long Sum, int Count);

/// <summary>
/// The campaign of the tests of runs that end badly: MISHAP_POINTS points (200 by default), each
/// taking MISHAP_SLEEP_MS milliseconds; at the point MISHAP_HANG a step that never returns, at
/// MISHAP_FAILFAST one that aborts the process (Environment.FailFast), at MISHAP_OVERFLOW one that
/// overflows the stack, at MISHAP_EXIT one that exits the process with code 0; MISHAP_FAILFAST=-2
/// aborts at every point; at MISHAP_BADTEXT the value's label holds an unpaired surrogate; at
/// MISHAP_BALLOON one that fills 1 GiB of native memory, page by page.
/// </summary>
public static class Steps
{
    [Points]
    public static IEnumerable<Case> Points() => Enumerable.Range(0, Mishaps.Points).Select(i => new Case(i));

    [Step, Output("value")]
    public static Value Compute(Case c)
    {
        Mishaps.Strike(c.Index);
        return new Value((long)c.Index * c.Index, Mishaps.Label(c.Index));
    }

    [Step(Partial = true), Output("total")]
    public static Total Sum([Input("value")] IReadOnlyList<Value> all) => new(all.Sum(v => v.Square), all.Count);
}

/// <summary>What goes wrong, from the environment (read once).</summary>
public static class Mishaps
{
    public static readonly int Points = Read("MISHAP_POINTS", 200);

    private static readonly int s_sleep = Read("MISHAP_SLEEP_MS", 0);

    private static readonly int s_hang = Read("MISHAP_HANG", -1);

    private static readonly int s_failFast = Read("MISHAP_FAILFAST", -1);

    private static readonly int s_overflow = Read("MISHAP_OVERFLOW", -1);

    private static readonly int s_exit = Read("MISHAP_EXIT", -1);

    private static readonly int s_badText = Read("MISHAP_BADTEXT", -1);

    private static readonly int s_balloon = Read("MISHAP_BALLOON", -1);

    public static string Label(int index) => index == s_badText ? "p\uD800" : $"p{index}";

    public static void Strike(int index)
    {
        if (index == s_hang)
        {
            Thread.Sleep(Timeout.Infinite);
        }

        if (index == s_failFast || s_failFast == -2)
        {
            Environment.FailFast($"point {index} aborts the process");
        }

        if (index == s_overflow)
        {
            _ = Deeper(index);
        }

        if (index == s_exit)
        {
            Environment.Exit(0);
        }

        if (index == s_balloon)
        {
            // Native memory, as a solver in C or Fortran takes it: .NET's own heap would throw
            // OutOfMemoryException at its limit (75% of the cgroup's) before the kernel stepped in.
            unsafe
            {
                byte* balloon = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(1 << 30);
                for (int i = 0; i < 1 << 30; i += 4096)
                {
                    balloon[i] = 1;
                }

                System.Runtime.InteropServices.NativeMemory.Free(balloon);
            }
        }

        if (s_sleep > 0)
        {
            Thread.Sleep(s_sleep);
        }
    }

    private static int Deeper(int n) => n == int.MinValue ? 0 : Deeper(n + 1) + 1;

    private static int Read(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
