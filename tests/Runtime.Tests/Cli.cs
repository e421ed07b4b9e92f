using System;
using System.IO;
using System.Linq;
using Cairn.Hosting;

namespace Cairn.Runtime.Tests;

/// <summary>Runs the generated host in-process and captures its output.</summary>
internal static class Cli
{
    public static (int Exit, string Out, string Err) Run(params string[] args) => RunWith(Campaign.Definition, args);

    /// <summary>Runs the host of <paramref name="definition"/> (the campaign as an edit made it, see <see cref="EditedCampaign"/>).</summary>
    public static (int Exit, string Out, string Err) RunWith(CampaignDefinition<TestPoint> definition, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = CampaignHost.Run(definition, args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>Runs a reader tool from tests/tools (DuckDB, python3-prov) and parses the JSON it prints.</summary>
internal static class Tools
{
    public static string Directory { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../tools"));

    public static System.Text.Json.JsonDocument RunJson(string program, string script, string argument, string whenFailing)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program, [Path.Combine(Directory, script), argument])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Xunit.Assert.True(process.ExitCode == 0, $"{whenFailing}: {error}");
        return System.Text.Json.JsonDocument.Parse(output);
    }
}

/// <summary>A fresh store directory, deleted afterwards.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore() => Root = Path.Combine(Path.GetTempPath(), "cairn-test-" + Guid.NewGuid().ToString("N"));

    public string Root { get; }

    public string[] Files(string relative) =>
        Directory.Exists(Path.Combine(Root, relative))
            ? Directory.GetFiles(Path.Combine(Root, relative)).Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>Every file of the store with its bytes, to prove a failed command changed nothing.</summary>
    public (string Path, string Hash)[] Snapshot() =>
        Directory.GetFiles(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (f, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))).ToArray();

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
