using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Cairn;

/// <summary>
/// How this site starts MPI programs: the launcher that <see cref="ExternalProgram.Run"/> puts in
/// front of a program whose step has <c>[Resources(Ranks = n)]</c>. A site file holds
/// <c>key = "value"</c> lines (and <c># comments</c>), such as
/// <c>launcher = "srun --mpi=pmix -n {ranks}"</c>; it is named by <c>--site FILE</c> or by
/// <c>$CAIRN_SITE</c>. Without one, the launcher is <see cref="DefaultLauncher"/>, which suits a
/// workstation with Open MPI. In the template, <c>{ranks}</c> is the step's ranks and
/// <c>{cores}</c> each rank's cores; the words are split on spaces (no shell).
/// </summary>
public sealed class SiteConfiguration
{
    /// <summary>The launcher without a site file: Open MPI's, as on a workstation.</summary>
    public const string DefaultLauncher = "mpirun -np {ranks}";

    /// <summary>The variable that names the site file when <c>--site</c> does not.</summary>
    public const string Variable = "CAIRN_SITE";

    private static SiteConfiguration? s_current;

    private SiteConfiguration(string launcher, string source)
    {
        Launcher = launcher;
        Source = source;
    }

    /// <summary>The launcher template.</summary>
    public string Launcher { get; }

    /// <summary>Where it comes from: the site file's path, or "default".</summary>
    public string Source { get; }

    /// <summary>The configuration of this process: <c>--site</c>'s file once a verb has read it, else <c>$CAIRN_SITE</c>'s, else the default.</summary>
    /// <exception cref="CairnException">The file named by <c>$CAIRN_SITE</c> cannot be read or is malformed.</exception>
    public static SiteConfiguration Current
    {
        get => s_current ??= Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? Load(path) : new SiteConfiguration(DefaultLauncher, "default");
        internal set => s_current = value;
    }

    /// <summary>
    /// The configuration a verb that runs steps works with: <paramref name="file"/>'s (<c>--site</c>)
    /// when given, else <see cref="Current"/>, read now when the campaign has an MPI step, so that a
    /// malformed <c>$CAIRN_SITE</c> stops the verb before it starts rather than failing each point.
    /// </summary>
    /// <exception cref="CairnException">The file cannot be read, or is malformed.</exception>
    public static SiteConfiguration Use(string? file, Hosting.CampaignGraph graph)
    {
        if (file is not null)
        {
            Current = Load(file);
        }

        return file is not null || graph.Steps.Any(s => s.Resources.Ranks > 0) ? Current : s_current ?? new SiteConfiguration(DefaultLauncher, "default");
    }

    /// <summary>Reads a site file.</summary>
    /// <exception cref="CairnException">It cannot be read, or a line is malformed (exit code <see cref="ExitCodes.Usage"/>): the message names the file and the line.</exception>
    public static SiteConfiguration Load(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CairnException($"cannot read the site file {path}: {e.Message}", ExitCodes.Usage, e);
        }

        string launcher = DefaultLauncher;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            int equals = line.IndexOf('=', StringComparison.Ordinal);
            string key = equals < 0 ? line : line[..equals].Trim();
            string value = equals < 0 ? "" : line[(equals + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            string where = $"site file {path}, line {i + 1}";
            if (key != "launcher")
            {
                throw new CairnException($"{where}: unknown key '{key}'; a site file sets launcher = \"...\" (for example launcher = \"srun --mpi=pmix -n {{ranks}}\")", ExitCodes.Usage);
            }

            if (!value.Contains("{ranks}", StringComparison.Ordinal))
            {
                throw new CairnException($"{where}: the launcher \"{value}\" has no {{ranks}}; write where the number of ranks goes, as in \"mpirun -np {{ranks}}\"", ExitCodes.Usage);
            }

            launcher = value;
        }

        return new SiteConfiguration(launcher, Path.GetFullPath(path));
    }

    /// <summary>The words that start a program with <paramref name="ranks"/> ranks of <paramref name="cores"/> cores each, before the program's path.</summary>
    public IReadOnlyList<string> LaunchWords(int ranks, int cores) =>
        [.. Launcher.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(word => word.Replace("{ranks}", ranks.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{cores}", cores.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))];
}
