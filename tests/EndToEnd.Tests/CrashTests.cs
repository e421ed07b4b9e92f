using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>A run killed mid-way (SIGKILL, no chance to clean up) and run again.</summary>
[Collection("builds")]
public sealed class CrashTests
{
    private const int Points = 1_000_000;

    [Fact]
    public void A_killed_run_loses_only_uncommitted_work_and_a_rerun_finishes_with_nothing_doubled()
    {
        string output = Shell.TempDirectory("cairn-crash");
        try
        {
            var build = Shell.Run("dotnet", Shell.RepositoryRoot, "build", "bench/Trivial", "-c", "Release", "-o", output);
            Assert.True(build.Exit == 0, Shell.Tail(build.Out + build.Err));
            string host = Path.Combine(output, "Trivial.dll");
            string store = Path.Combine(output, "store");
            string second = Path.Combine(store, "results", "second");

            // Shards of 10^5 rows (the default is 10^6, the whole run): the kill comes between two commits.
            var start = new ProcessStartInfo("dotnet", [host, "run", "--store", store, "--rows", "100000"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["CAIRN_BENCH_POINTS"] = Points.ToString(System.Globalization.CultureInfo.InvariantCulture);
            using (Process victim = Process.Start(start)!)
            {
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (!victim.HasExited && DateTime.UtcNow < deadline && Committed(second) == 0)
                {
                    Thread.Sleep(20);
                }

                Assert.False(victim.HasExited, "the run finished before a shard was committed; nothing was killed");
                victim.Kill();
                victim.WaitForExit();
            }

            int committedBefore = Committed(second);
            Assert.InRange(committedBefore, 1, 9);
            Assert.NotEmpty(Temporaries(store));

            // A result is committed after its provenance, never before: the killed run left none without it.
            var kept = RunHost(host, "results", "second", "--store", store);
            string[] keptIds = kept.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line[..32]).ToArray();
            foreach (string id in keptIds.Where((_, i) => i % (keptIds.Length / 4) == 0).Append(keptIds[^1]))
            {
                var provenance = RunHost(host, "provenance", "second", "--point", id, "--store", store);
                Assert.True(provenance.Exit == 0, $"result {id} was committed without its provenance: {provenance.Err}");
            }

            var rerun = RunHost(host, "run", "--store", store, "--json");
            Assert.True(rerun.Exit == 0, rerun.Err);
            using JsonDocument report = JsonDocument.Parse(rerun.Out);
            JsonElement shift = report.RootElement.GetProperty("steps").GetProperty("Shift");
            long cached = shift.GetProperty("cached").GetInt64();
            Assert.True(cached >= 100_000, $"only {cached} results survived the kill, though {committedBefore} shard(s) were committed");
            Assert.Equal(Points, cached + shift.GetProperty("computed").GetInt64());
            Assert.Equal(1, report.RootElement.GetProperty("steps").GetProperty("Sum").GetProperty("computed").GetInt64());

            Assert.Empty(Temporaries(store));

            // Every point has exactly one stored result: none lost, none doubled (all versions counted).
            var all = RunHost(host, "results", "second", "--store", store, "--all-versions");
            string[] ids = all.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line[..32]).ToArray();
            Assert.Equal(Points, ids.Length);
            Assert.Equal(Points, ids.Distinct().Count());
            var total = RunHost(host, "results", "total", "--store", store, "--format", "json");
            using JsonDocument totalJson = JsonDocument.Parse(total.Out);
            Assert.Equal(Points, totalJson.RootElement[0].GetProperty("Count").GetInt64());
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static string[] Temporaries(string store) => Directory.GetFiles(store, ".*.tmp", SearchOption.AllDirectories);

    private static int Committed(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, "*.parquet").Count(f => !Path.GetFileName(f).StartsWith('.')) : 0;

    /// <summary>Runs the host with the campaign's size in its environment, as the killed run had it.</summary>
    private static (int Exit, string Out, string Err) RunHost(string host, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [host, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["CAIRN_BENCH_POINTS"] = Points.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
