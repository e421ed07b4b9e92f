using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>
/// The hosts the Slurm tests submit, each project built once for all of them, and their stores:
/// everything under one directory, removed when the tests are done (a build is about 0.5 GB).
/// </summary>
public sealed class SlurmHosts : IDisposable
{
    private readonly string _root = Shell.TempDirectory("cairn-slurm");
    private readonly Dictionary<string, string> _built = new(StringComparer.Ordinal);

    /// <summary>The entry assembly of <paramref name="project"/> (a path under the repository), built in Release the first time it is asked for.</summary>
    public string Build(string project)
    {
        if (!_built.TryGetValue(project, out string? host))
        {
            string output = Path.Combine(_root, "host-" + Path.GetFileName(project));
            var build = Shell.Run("dotnet", Shell.RepositoryRoot, "build", project, "-c", "Release", "-o", output);
            Assert.True(build.Exit == 0, Shell.Tail(build.Out + build.Err));
            _built[project] = host = Path.Combine(output, Path.GetFileName(project) + ".dll");
        }

        return host;
    }

    /// <summary>
    /// Where the tasks of <paramref name="host"/> copy it to (CAIRN_NODE_CACHE): beside its build, not
    /// in it, or the next submission would publish the copies as part of the host.
    /// </summary>
    public static string NodeCache(string host) => Path.GetDirectoryName(host) + ".node";

    /// <summary>A new empty directory for a test's store.</summary>
    public string Store(string prefix)
    {
        string path = Path.Combine(_root, $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
