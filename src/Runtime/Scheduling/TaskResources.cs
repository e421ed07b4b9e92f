using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Linq;
using Cairn.Cli;
using Cairn.Hosting;

namespace Cairn.Scheduling;

/// <summary>What each task of an array asks the scheduler for; null leaves the site's default.</summary>
internal sealed record TaskResources
{
    public string? Partition { get; init; }

    public string? Account { get; init; }

    /// <summary>The time limit of a task (<c>--time</c>).</summary>
    public TimeSpan? Time { get; init; }

    /// <summary>The memory of a task in MiB (<c>--mem</c>).</summary>
    public long? MemoryMb { get; init; }

    public int? CpusPerTask { get; init; }

    /// <summary>The worker threads of a task: its CPUs.</summary>
    public int Workers => CpusPerTask ?? 1;

    /// <summary>
    /// These resources as the options that ask for them (<c>--time=0-01:00:00</c>, <c>--mem=500M</c>):
    /// the words of <c>submit</c>'s own options, which a scheduler's script renders in its own way.
    /// </summary>
    public IReadOnlyList<string> Options()
    {
        var options = new List<string>();
        if (Partition is not null)
        {
            options.Add("--partition=" + Partition);
        }

        if (Account is not null)
        {
            options.Add("--account=" + Account);
        }

        if (Time is { } time)
        {
            options.Add("--time=" + FormatTime(time));
        }

        if (MemoryMb is { } memory)
        {
            options.Add("--mem=" + memory.ToString(CultureInfo.InvariantCulture) + "M");
        }

        if (CpusPerTask is { } cpus)
        {
            options.Add("--cpus-per-task=" + cpus.ToString(CultureInfo.InvariantCulture));
        }

        return options;
    }

    /// <summary>The memory a task's worker needs beside what its steps declare, in MiB.</summary>
    private const long WorkerMemoryMb = 512;

    /// <summary>
    /// What the per-point steps' <c>[Resources]</c> ask of a task: the cores of the widest step
    /// (its cores times its ranks), and, when a step declares memory, what the runs of each step
    /// that fit in the task's cores at once need, plus the worker's own. Null where no step says.
    /// </summary>
    /// <param name="graph">The campaign.</param>
    /// <param name="cpus">The cores each task is given (<c>--cpus-per-task</c>), if said.</param>
    public static TaskResources ForSteps(CampaignGraph graph, int? cpus)
    {
        int widest = graph.PerPointCores;
        int cores = cpus ?? widest;
        double memoryGiB = graph.Steps.Take(graph.PerPointCount).Select(s => s.Resources)
            .Select(s => Math.Max(1, cores / s.AllCores) * s.MemoryGiB * Math.Max(1, s.Ranks)).DefaultIfEmpty(0).Max();
        return new TaskResources
        {
            CpusPerTask = widest > 1 ? widest : null,
            MemoryMb = memoryGiB > 0 ? (long)Math.Ceiling(memoryGiB * 1024) + WorkerMemoryMb : null,
        };
    }

    /// <summary>The resources a command line asks for; null where it gives none.</summary>
    public static TaskResources From(CommandLine line) => new()
    {
        Partition = line.Has("--partition") ? line.Get("--partition", "") : null,
        Account = line.Has("--account") ? line.Get("--account", "") : null,
        Time = line.Duration("--time"),
        MemoryMb = line.Value<long>("--mem"),
        CpusPerTask = line.Has("--cpus-per-task") ? line.PositiveInt("--cpus-per-task", 1) : null,
    };

    /// <summary>These resources, each over <paramref name="fallback"/>'s where not set.</summary>
    public TaskResources Over(TaskResources fallback) => new()
    {
        Partition = Partition ?? fallback.Partition,
        Account = Account ?? fallback.Account,
        Time = Time ?? fallback.Time,
        MemoryMb = MemoryMb ?? fallback.MemoryMb,
        CpusPerTask = CpusPerTask ?? fallback.CpusPerTask,
    };

    /// <summary>Slurm's memory sizes: a number of MiB, or with a K, M, G or T suffix.</summary>
    public static long ParseMemory(string text, string option = "--mem")
    {
        Match m = Regex.Match(text, "^([0-9]+)([KMGT]?)B?$", RegexOptions.IgnoreCase);
        if (!m.Success || !long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n == 0)
        {
            throw new UsageException($"option '{option}' takes a size such as 4000, 500M or 4G (MiB when no unit is given), not '{text}'");
        }

        return char.ToUpperInvariant(m.Groups[2].Value.Length == 0 ? 'M' : m.Groups[2].Value[0]) switch
        {
            'K' => Math.Max(1, n / 1024),
            'G' => n * 1024,
            'T' => n * 1024 * 1024,
            _ => n,
        };
    }

    /// <summary>
    /// A duration as Slurm writes it (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS) or with a
    /// unit (90s, 30m, 2h, 1d).
    /// </summary>
    public static TimeSpan ParseTime(string option, string text)
    {
        Match unit = Regex.Match(text, "^([0-9]+)([smhd])$");
        if (unit.Success)
        {
            double n = double.Parse(unit.Groups[1].Value, CultureInfo.InvariantCulture);
            return Positive(option, text, unit.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            });
        }

        Match slurm = Regex.Match(text, "^(?:([0-9]+)-)?([0-9]+)(?::([0-9]+))?(?::([0-9]+))?$");
        if (!slurm.Success)
        {
            throw BadTime(option, text);
        }

        int Part(int group) => slurm.Groups[group].Success ? int.Parse(slurm.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        int parts = 1 + (slurm.Groups[3].Success ? 1 : 0) + (slurm.Groups[4].Success ? 1 : 0);
        TimeSpan time = slurm.Groups[1].Success
            ? new TimeSpan(Part(1), Part(2), Part(3), Part(4))                        // D-HH[:MM[:SS]]
            : parts switch
            {
                1 => TimeSpan.FromMinutes(Part(2)),                                     // minutes
                2 => new TimeSpan(0, Part(2), Part(3)),                                  // MM:SS
                _ => new TimeSpan(Part(2), Part(3), Part(4)),                            // HH:MM:SS
            };
        return Positive(option, text, time);
    }

    private static TimeSpan Positive(string option, string text, TimeSpan time) => time > TimeSpan.Zero ? time : throw BadTime(option, text);

    private static UsageException BadTime(string option, string text) =>
        new($"option '{option}' takes a duration such as 30m, 2h, 90s, 45 (minutes), 1:30:00 or 1-12:00:00, not '{text}'");

    /// <summary>D-HH:MM:SS, rounded up to whole seconds.</summary>
    public static string FormatTime(TimeSpan time)
    {
        long seconds = (long)Math.Ceiling(time.TotalSeconds);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400}-{seconds / 3600 % 24:00}:{seconds / 60 % 60:00}:{seconds % 60:00}");
    }
}
