using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Hashing;
using System.Linq;
using System.Text;

namespace Cairn.Scheduling;

/// <summary>
/// The running host's files (its directory: the program, Cairn, the native libraries), published
/// once into the store under <c>slurm/host/{hash}</c>, where every node of the cluster reads them.
/// Tasks start the copy their node keeps, so the shared file system serves them once per node.
/// </summary>
internal sealed record HostImage(string Hash, string[] Files, string Runner, string Entry)
{
    /// <summary>The host of this process: its directory's files, hashed by name and content.</summary>
    public static HostImage OfThisProcess()
    {
        string directory = AppContext.BaseDirectory;
        string[] files = FilesUnder(directory).Select(f => Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal).ToArray();
        var hash = new XxHash128();
        foreach (string file in files)
        {
            hash.Append(Encoding.UTF8.GetBytes(file + "\0"));
            using FileStream stream = File.OpenRead(Path.Combine(directory, file));
            hash.Append(stream);
        }

        string hex = Convert.ToHexStringLower(hash.GetCurrentHash());
        // Run through dotnet (dotnet Host.dll ...) as this process was, or as the apphost itself.
        Hosting.HostCommand command = Hosting.HostCommand.OfThisProcess();
        return new HostImage(hex, files, command.Runner, command.Entry);
    }

    /// <summary>The files of a directory and its subdirectories, leaving out any Cairn store kept there.</summary>
    private static IEnumerable<string> FilesUnder(string directory)
    {
        foreach (string file in Directory.EnumerateFiles(directory))
        {
            yield return file;
        }

        foreach (string sub in Directory.EnumerateDirectories(directory))
        {
            if (File.Exists(Path.Combine(sub, Storage.StoreLayout.Manifest)))
            {
                continue;
            }

            foreach (string file in FilesUnder(sub))
            {
                yield return file;
            }
        }
    }

    /// <summary>Where the image lies in the store.</summary>
    public string PathIn(string storeRoot) => Path.Combine(storeRoot, Submission.Directory, "host", Hash);

    /// <summary>Copies the files into the store unless an image with this hash is there; the directory appears whole (renamed into place).</summary>
    public void Publish(string storeRoot)
    {
        string target = PathIn(storeRoot);
        if (Directory.Exists(target))
        {
            return;
        }

        string temporary = $"{target}.{Environment.MachineName}-{Environment.ProcessId}.tmp";
        foreach (string file in Files)
        {
            string to = Path.Combine(temporary, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(Path.Combine(AppContext.BaseDirectory, file), to);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(to, File.GetUnixFileMode(Path.Combine(AppContext.BaseDirectory, file)));
            }
        }

        try
        {
            Directory.Move(temporary, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            // Another submission published the same image first.
            Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>The shell command that starts the host in <paramref name="directory"/> (a shell expression).</summary>
    public string Command(string directory) =>
        Runner.Length > 0 ? $"{Shell.Quote(Runner)} {directory}/{Shell.Quote(Entry)}" : $"{directory}/{Shell.Quote(Entry)}";
}

/// <summary>Quoting for the generated shell scripts.</summary>
internal static class Shell
{
    /// <summary>A single-quoted word, safe whatever it holds.</summary>
    public static string Quote(string text) =>
        text.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ':' or '=' or ',')
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));
}
