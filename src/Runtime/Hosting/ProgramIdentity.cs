using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Hosting;

/// <summary>
/// What a program a step runs (<c>[Runs]</c>) is on this machine: the file it resolves to, that
/// file's SHA-256 (as <c>sha256sum</c> prints it), and what it prints for its version arguments.
/// The step's code hash takes it in (<see cref="Apply"/>), so that a rebuilt binary recomputes the
/// step's results and what depends on them, and the stored code text of the step names it.
/// </summary>
/// <param name="Program">The program as the step declares it.</param>
/// <param name="Path">The file it resolves to; null when it is not found.</param>
/// <param name="Sha256">The file's SHA-256 in hex; null when it is not found.</param>
/// <param name="Version">What it printed for its version arguments; null when not asked or not found.</param>
public sealed record ProgramIdentity(string Program, string? Path, string? Sha256, string? Version)
{
    /// <summary>How a line of a version that spans several lines starts, after the first.</summary>
    private const string VersionContinued = "//   ";

    /// <summary>The line of a found program in a step's code text (<see cref="Describe"/>).</summary>
    private static readonly Regex s_runsLine = new("^// runs (?<program>.+?): (?<path>.+) sha256 (?<sha256>[0-9a-f]{64})$", RegexOptions.CultureInvariant);

    /// <summary>Each program is looked up and hashed once per process (the graph may be built several times).</summary>
    private static readonly ConcurrentDictionary<StepProgram, ProgramIdentity> s_known = new();

    /// <summary>Whether the program was found.</summary>
    public bool Found => Path is not null;

    /// <summary>
    /// The step with the identities of the programs it runs: its code hash then covers them, and its
    /// source ends with a line for each. A step that runs none, or whose programs are already
    /// resolved, is returned as it is.
    /// </summary>
    public static StepInfo Apply(StepInfo step)
    {
        if (step.Programs.Count == 0 || step.ResolvedPrograms is not null)
        {
            return step;
        }

        ProgramIdentity[] programs = [.. step.Programs.Select(p => s_known.GetOrAdd(p, Resolve))];
        string lines = string.Concat(programs.Select(p => p.Describe()));
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(step.CodeHash + "\n" + lines));
        return step with
        {
            CodeHash = Convert.ToHexStringLower(hash, 0, 16),
            Source = step.Source + lines,
            ResolvedPrograms = programs,
        };
    }

    /// <summary>
    /// Throws, naming the first program of a step that is not found, and where it was looked for:
    /// without it the results of its step cannot be told current or not, nor computed.
    /// </summary>
    /// <exception cref="CairnException">A program is not found (exit code <see cref="ExitCodes.MissingProgram"/>).</exception>
    public static void EnsureFound(CampaignGraph graph)
    {
        if (Missing(graph).FirstOrDefault() is { Step: not null } first)
        {
            throw new CairnException(
                $"step '{first.Step.Name}' runs '{first.Program.Program}', but {Where(first.Program)}: install it or load its module, or name its path in [Runs]",
                ExitCodes.MissingProgram);
        }
    }

    /// <summary>
    /// What a verb that only reads the store says of a program that is not found: the results of its
    /// step are told current by the program's hash, which cannot be taken here. Null when all are found.
    /// </summary>
    public static string? Warning(CampaignGraph graph) =>
        Missing(graph).FirstOrDefault() is { Step: not null } first
            ? $"warning: step '{first.Step.Name}' runs '{first.Program.Program}', but {Where(first.Program)}: its results, and those of the steps after it, show as not current here"
            : null;

    /// <summary>The programs of the graph's steps that are not found, with their steps.</summary>
    private static IEnumerable<(StepInfo Step, ProgramIdentity Program)> Missing(CampaignGraph graph) =>
        graph.Steps.SelectMany(step => (step.ResolvedPrograms ?? []).Where(p => !p.Found).Select(p => (step, p)));

    private static string Where(ProgramIdentity missing) =>
        IsPath(missing.Program) ? $"there is no executable file {System.IO.Path.GetFullPath(missing.Program)}" : "it is not on PATH";

    /// <summary>The lines of the step's code text that name this program (hashed with the step's code); <see cref="InSource"/> reads them back.</summary>
    private string Describe() =>
        !Found ? $"\n// runs {Program}: not found\n"
        : $"\n// runs {Program}: {Path} sha256 {Sha256}\n" + (Version is null ? "" : $"// {Program} version: {Version.Trim().Replace("\n", "\n" + VersionContinued, StringComparison.Ordinal)}\n");

    /// <summary>
    /// The programs that a step's stored code text names (see <see cref="Describe"/>), found ones
    /// only: what the run that made a result ran, whatever this machine has now.
    /// </summary>
    public static IReadOnlyList<ProgramIdentity> InSource(string source)
    {
        var programs = new List<ProgramIdentity>();
        string[] lines = source.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            Match runs = s_runsLine.Match(lines[i]);
            if (!runs.Success)
            {
                continue;
            }

            string program = runs.Groups["program"].Value;
            string? version = null;
            string versionStart = $"// {program} version: ";
            if (i + 1 < lines.Length && lines[i + 1].StartsWith(versionStart, StringComparison.Ordinal))
            {
                var text = new StringBuilder(lines[++i][versionStart.Length..]);
                while (i + 1 < lines.Length && lines[i + 1].StartsWith(VersionContinued, StringComparison.Ordinal))
                {
                    text.Append('\n').Append(lines[++i][VersionContinued.Length..]);
                }

                version = text.ToString();
            }

            programs.Add(new ProgramIdentity(program, runs.Groups["path"].Value, runs.Groups["sha256"].Value, version));
        }

        return programs;
    }

    private static ProgramIdentity Resolve(StepProgram declared)
    {
        string? path = Locate(declared.Program);
        if (path is null)
        {
            return new ProgramIdentity(declared.Program, null, null, null);
        }

        string sha256;
        using (FileStream file = File.OpenRead(path))
        {
            sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
        }

        return new ProgramIdentity(declared.Program, path, sha256, declared.VersionArguments is { } arguments ? VersionOf(path, arguments, declared.VersionPattern) : null);
    }

    /// <summary>The executable file a program names: a path as it is, a name on <c>PATH</c>; null when there is none.</summary>
    internal static string? Locate(string program)
    {
        if (IsPath(program))
        {
            string full = System.IO.Path.GetFullPath(program);
            return IsExecutable(full) ? full : null;
        }

        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = System.IO.Path.Combine(directory, program);
            if (IsExecutable(candidate))
            {
                return System.IO.Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    private static bool IsPath(string program) => program.Contains('/', StringComparison.Ordinal);

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    /// <summary>
    /// What the program prints (standard output, then standard error) for its version arguments,
    /// within 30 s; with a pattern, only its first match in that (its first group, when it has one).
    /// </summary>
    /// <exception cref="CairnException">The program does not print it in time, or prints nothing that matches the pattern, or the pattern is not a regular expression.</exception>
    internal static string VersionOf(string path, string arguments, string? pattern)
    {
        string printed = PrintedFor(path, arguments);
        if (pattern is null)
        {
            return printed;
        }

        Match match;
        try
        {
            match = Regex.Match(printed, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException e)
        {
            throw new CairnException($"[Runs] of '{path}': VersionPattern \"{pattern}\" is not a regular expression ({e.Message}); fix it in the step's [Runs]", ExitCodes.MissingProgram, e);
        }

        return !match.Success
            ? throw new CairnException($"'{path} {arguments}' printed nothing that matches VersionPattern \"{pattern}\"; fix the pattern in the step's [Runs] (it printed: {FirstLine(printed)})", ExitCodes.MissingProgram)
            : match.Groups.Count > 1 ? match.Groups[1].Value : match.Value;
    }

    private static string FirstLine(string text) => text.Trim().Split('\n')[0].Trim() is { Length: > 0 } line ? line : "nothing";

    /// <summary>What the program prints (standard output, then standard error) for its version arguments, within 30 s.</summary>
    private static string PrintedFor(string path, string arguments)
    {
        var start = new ProcessStartInfo(path, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        using Process process = Process.Start(start) ?? throw new CairnException($"cannot start {path} {arguments}", ExitCodes.MissingProgram);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new CairnException($"'{path} {arguments}' did not print its version within 30 s; give [Runs] other VersionArguments", ExitCodes.MissingProgram);
        }

        return output.Result + error.Result;
    }
}
