using System;
using System.IO;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>
/// The Programs test campaign (tests/Campaigns/Programs), built once, and its external programs
/// built with the system's C compiler (power.c) and Open MPI's (spread.c) into a directory of their
/// own, which runs put first on PATH.
/// </summary>
public sealed class ProgramsHost : IDisposable
{
    private static readonly string s_source = Path.Combine(Shell.RepositoryRoot, "tests", "Campaigns", "Programs");

    public ProgramsHost()
    {
        Directory = Shell.TempDirectory("cairn-programs");
        var build = Shell.Run("dotnet", Shell.RepositoryRoot, "build", s_source, "-c", "Release", "-o", Path.Combine(Directory, "host"));
        Assert.True(build.Exit == 0, Shell.Tail(build.Out + build.Err));
        Host = Path.Combine(Directory, "host", "Programs.dll");
        Bin = Path.Combine(Directory, "bin");
        System.IO.Directory.CreateDirectory(Bin);
        var mpicc = Shell.Run("mpicc", s_source, "-O2", "-o", Path.Combine(Bin, "cairn-spread"), "spread.c");
        Assert.True(mpicc.Exit == 0, "mpicc could not build the MPI test program (the README's test command installs libopenmpi-dev): " + mpicc.Err);
        // The tests run as root on two cores: Open MPI must be told that both are fine.
        Site = Path.Combine(Directory, "site.toml");
        File.WriteAllText(Site, "# the test machine: Open MPI, as root, two ranks on whatever cores there are\nlauncher = \"mpirun --allow-run-as-root --oversubscribe -np {ranks}\"\n");
    }

    /// <summary>The site file of the test machine, which every run is given through CAIRN_SITE unless it passes its own.</summary>
    public string Site { get; }

    public string Directory { get; }

    public string Host { get; }

    /// <summary>Where the programs are built: the first directory of the runs' PATH.</summary>
    public string Bin { get; }

    /// <summary>Builds <paramref name="name"/> from power.c raising to <paramref name="power"/> plus <paramref name="offset"/>, into <see cref="Bin"/>.</summary>
    public string BuildProgram(string name, int power, int offset = 0)
    {
        string output = Path.Combine(Bin, name);
        var cc = Shell.Run("cc", s_source, "-O2", $"-DPOWER={power}", $"-DOFFSET={offset}", "-o", output, "power.c");
        Assert.True(cc.Exit == 0, "cc could not build the test program (the README's test command installs gcc): " + cc.Err);
        return output;
    }

    /// <summary>Runs the host with <see cref="Bin"/> first on PATH, or with this process's PATH alone (where the programs are not).</summary>
    public (int Exit, string Out, string Err) Run(bool programsOnPath, params string[] args) => Run(programsOnPath, [], args);

    /// <summary>As <see cref="Run(bool, string[])"/>, with more environment variables.</summary>
    public (int Exit, string Out, string Err) Run(bool programsOnPath, (string Name, string Value)[] environment, params string[] args)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return Shell.RunWith([("PATH", programsOnPath ? Bin + Path.PathSeparator + path : path), ("CAIRN_SITE", Site), .. environment], "dotnet", Directory, [Host, .. args]);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
