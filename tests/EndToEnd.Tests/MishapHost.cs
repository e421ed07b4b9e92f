using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>The Mishap test campaign, built once for the tests that make its runs end badly.</summary>
public sealed class MishapHost : IDisposable
{
    public MishapHost()
    {
        Directory = Shell.TempDirectory("cairn-mishap");
        var build = Shell.Run("dotnet", Shell.RepositoryRoot, "build", "tests/Campaigns/Mishap", "-c", "Release", "-o", Directory);
        Assert.True(build.Exit == 0, Shell.Tail(build.Out + build.Err));
        Host = Path.Combine(Directory, "Mishap.dll");
    }

    public string Directory { get; }

    public string Host { get; }

    /// <summary>Starts the host with the mishaps of <paramref name="environment"/> (MISHAP_HANG, MISHAP_SLEEP_MS, MISHAP_POINTS).</summary>
    public Running Start((string Name, string Value)[] environment, params string[] args)
    {
        // A process started in the background of a non-interactive shell (as a CI job may start the
        // tests) inherits SIGINT ignored, and keeps it so, as Unix wants: give it back its default.
        var start = new ProcessStartInfo("env", ["--default-signal=INT", "dotnet", Host, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        return new Running(Process.Start(start)!);
    }

    /// <summary>Runs the host to its end, with no mishap unless <paramref name="environment"/> sets one.</summary>
    public (int Exit, string Out, string Err) Run((string Name, string Value)[] environment, params string[] args) =>
        Shell.RunWith(environment, "dotnet", Directory, [Host, .. args]);

    /// <summary>How many points a run's <c>--json</c> report says its step Compute computed.</summary>
    public static long Computed(string json) =>
        System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("steps").GetProperty("Compute").GetProperty("computed").GetInt64();

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    /// <summary>A host process, its output read as it comes.</summary>
    public sealed class Running(Process process) : IDisposable
    {
        private readonly Task<string> _out = process.StandardOutput.ReadToEndAsync();
        private readonly Task<string> _err = process.StandardError.ReadToEndAsync();

        public void Signal(string signal)
        {
            var kill = Shell.Run("kill", Shell.RepositoryRoot, "-" + signal, process.Id.ToString(CultureInfo.InvariantCulture));
            Assert.True(kill.Exit == 0, kill.Err);
        }

        public bool HasExited => process.HasExited;

        public int Id => process.Id;

        /// <summary>Waits for the end; the exit code and the output.</summary>
        public (int Exit, string Out, string Err) Wait(TimeSpan patience)
        {
            Assert.True(process.WaitForExit(patience), $"the host did not end within {patience}");
            process.WaitForExit();
            return (process.ExitCode, _out.Result, _err.Result);
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }
    }
}
