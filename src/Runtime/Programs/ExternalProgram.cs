using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Cairn.Hosting;
using Cairn.Native;
using Cairn.Programs;

namespace Cairn;

/// <summary>
/// Runs an external program from a step, in a fresh working directory on node-local scratch
/// (<c>$CAIRN_SCRATCH</c>, else <c>$TMPDIR</c>, else the system's temporary directory) that is
/// deleted when it ends: its input files are written there first, the files it writes that the
/// call keeps are read back, and what it prints is captured. A step declares each program it runs
/// with <c>[Runs]</c>, so that the program's file counts in the step's results' keys; inside a
/// step, the file run is the one that was hashed. The program of a step with
/// <c>[Resources(Ranks = n)]</c> starts through the site's MPI launcher (<see cref="SiteConfiguration"/>).
/// </summary>
public static class ExternalProgram
{
    /// <summary>The most characters of standard error a failure's message ends with.</summary>
    private const int TailCharacters = 2000;

    /// <summary>The most lines of standard error a failure's message ends with.</summary>
    private const int TailLines = 10;

    /// <summary>Runs <paramref name="program"/> and waits for its end.</summary>
    /// <param name="program">The program as the step's <c>[Runs]</c> names it: a name on <c>PATH</c>, or a path.</param>
    /// <param name="arguments">Its arguments, each passed as it is (no shell).</param>
    /// <param name="files">Text files to write into its working directory first, by relative name.</param>
    /// <param name="keep">Files it writes that are read back (<see cref="ProgramResult.Files"/>), by relative name.</param>
    /// <param name="environment">Variables to set in its environment, beside those of this process.</param>
    /// <param name="timeout">How long it may run; it is killed after (with the processes it started). None when null.</param>
    /// <param name="standardInput">What it reads on standard input; nothing when null.</param>
    /// <returns>What it printed and the kept files.</returns>
    /// <exception cref="ProgramFailedException">It exited with another code than 0, or did not write a kept file.</exception>
    /// <exception cref="ProgramTimeoutException">It ran longer than <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">The running step does not declare it with <c>[Runs]</c>, or it is not found.</exception>
    /// <exception cref="ArgumentException">A file name is not a relative path inside the working directory.</exception>
    public static ProgramResult Run(
        string program,
        IEnumerable<string>? arguments = null,
        IReadOnlyDictionary<string, string>? files = null,
        IEnumerable<string>? keep = null,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        string? standardInput = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        string path = Executable(program);
        // An MPI step's program starts through the site's launcher, with the step's ranks.
        IReadOnlyList<string> launch = RunningStep.Current?.Resources is { Ranks: > 0 } mpi
            ? SiteConfiguration.Current.LaunchWords(mpi.Ranks, Math.Max(1, mpi.Cores))
            : [];
        string directory = Path.Combine(ScratchRoot(), $"cairn-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            foreach ((string name, string text) in files ?? new Dictionary<string, string>())
            {
                string file = Inside(directory, name);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, text);
            }

            var start = new ProcessStartInfo(launch.Count > 0 ? launch[0] : path)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (string argument in launch.Count > 0 ? [.. launch.Skip(1), path, .. arguments ?? []] : arguments ?? [])
            {
                start.ArgumentList.Add(argument);
            }

            foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            var clock = Stopwatch.StartNew();
            using Process process = Start(start, launch.Count > 0);
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            try
            {
                if (standardInput is not null)
                {
                    process.StandardInput.Write(standardInput);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It ended, or closed its input, before reading all of it: its exit code tells.
            }

            if (!WaitForExit(process, timeout, RunningStep.GivenUp))
            {
                process.Kill(entireProcessTree: true);
                // The run gave up on the step (past its time limit): the program goes with it.
                RunningStep.GivenUp.ThrowIfCancellationRequested();
                // A process that left the tree (a daemon) may hold standard error open: the tail is not waited for long.
                string tail = Tail(error.Wait(TimeSpan.FromSeconds(5)) ? error.Result : "");
                throw new ProgramTimeoutException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{program}' ran longer than its timeout of {timeout!.Value.TotalSeconds:0.###} s and was killed{Ending(tail)}"), tail);
            }

            process.WaitForExit(); // the output is read to its end
            string standardError = error.Result;
            if (process.ExitCode != 0)
            {
                string tail = Tail(standardError);
                throw new ProgramFailedException($"'{program}' exited with code {process.ExitCode}{Ending(tail)}", process.ExitCode, tail);
            }

            var kept = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (string name in keep ?? [])
            {
                string file = Inside(directory, name);
                kept[name] = File.Exists(file) ? File.ReadAllBytes(file)
                    : throw new ProgramFailedException($"'{program}' exited with code 0 but did not write '{name}', which the step keeps{Ending(Tail(standardError))}", 0, Tail(standardError));
            }

            return new ProgramResult(output.Result, standardError, kept, clock.Elapsed);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A process the program left behind may still hold it; the scratch space is the node's to clean.
            }
        }
    }

    /// <summary>
    /// Waits until the process exits (true), its timeout passes, or <paramref name="givenUp"/> is
    /// cancelled (false), looking at the token every 100 ms. A negative timeout
    /// (<see cref="Timeout.InfiniteTimeSpan"/>) or one of more than a year is none.
    /// </summary>
    private static bool WaitForExit(Process process, TimeSpan? timeout, CancellationToken givenUp)
    {
        long deadline = timeout is { } limit && limit >= TimeSpan.Zero && limit < TimeSpan.FromDays(366)
            ? Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency)
            : long.MaxValue;
        while (!givenUp.IsCancellationRequested)
        {
            long left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return process.HasExited;
            }

            if (process.WaitForExit(TimeSpan.FromSeconds(Math.Min(0.1, (double)left / Stopwatch.Frequency))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The file to run: the one the running step's graph hashed, or (outside a step) the one the name resolves to.</summary>
    private static string Executable(string program)
    {
        if (RunningStep.Current is { } step)
        {
            ProgramIdentity? identity = step.ResolvedPrograms?.FirstOrDefault(p => p.Program == program);
            if (identity is null)
            {
                throw new InvalidOperationException($"step '{step.Name}' runs '{program}' but does not declare it; add [Runs(\"{program}\")] to the step, so that the program counts in its results' keys");
            }

            return identity.Path ?? throw new InvalidOperationException($"step '{step.Name}' runs '{program}', which is not found");
        }

        return ProgramIdentity.Locate(program) ?? throw new InvalidOperationException($"'{program}' is not found (not on PATH, or no executable file at that path)");
    }

    /// <summary>Starts the process; one that cannot be started (not executable, no such launcher) is said in one line.</summary>
    private static Process Start(ProcessStartInfo start, bool launched)
    {
        try
        {
            InheritedDescriptors.MarkCloseOnExec();
            return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(launched
                ? $"cannot start the site's MPI launcher '{start.FileName}' ({e.Message}); set launcher in the site file ({SiteConfiguration.Current.Source}), or install Open MPI"
                : $"cannot start {start.FileName}: {e.Message}", e);
        }
    }

    private static string ScratchRoot() =>
        Environment.GetEnvironmentVariable("CAIRN_SCRATCH") is { Length: > 0 } scratch ? scratch
        : Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } temporary ? temporary
        : Path.GetTempPath();

    /// <summary>The full path of a file named relative to the working directory; refuses one outside it.</summary>
    private static string Inside(string directory, string name)
    {
        string full = Path.GetFullPath(Path.Combine(directory, name));
        return !Path.IsPathRooted(name) && full.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full
            : throw new ArgumentException($"'{name}' is not a relative path inside the program's working directory", nameof(name));
    }

    /// <summary>The last lines of what a program printed on standard error.</summary>
    private static string Tail(string standardError)
    {
        string[] lines = standardError.TrimEnd().Split('\n');
        string tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - TailLines)));
        return tail.Length <= TailCharacters ? tail : tail[^TailCharacters..];
    }

    private static string Ending(string tail) => tail.Length == 0 ? "" : $"; its standard error ends: {tail}";
}
