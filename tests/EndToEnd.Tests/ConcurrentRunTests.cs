using System;
using System.IO;
using System.Linq;
using System.Threading;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>Two runs on one store: the second is refused, or waits with --wait; no point is computed twice.</summary>
[Collection("builds")]
public sealed class ConcurrentRunTests(MishapHost mishap) : IDisposable
{
    private readonly string _store = Path.Combine(Shell.TempDirectory("cairn-concurrent"), "new store");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_store)!, recursive: true);

    [Fact]
    public void A_second_run_on_a_store_being_written_is_refused_or_waits_and_every_point_is_computed_once()
    {
        // The first run makes the store and takes about 4 s (400 points of 20 ms on 2 workers).
        (string, string)[] slow = [("MISHAP_POINTS", "400"), ("MISHAP_SLEEP_MS", "20")];
        using MishapHost.Running first = mishap.Start(slow, "run", "--store", _store, "--json", "--workers", "2");
        Thread.Sleep(1000);
        Assert.False(first.HasExited, "the first run ended too soon for the test");

        var refused = mishap.Run(slow, "run", "--store", _store, "--json");
        Assert.True(refused.Exit == 9, $"exit {refused.Exit}: {refused.Err}");
        Assert.Contains($"'run' (process ", refused.Err, StringComparison.Ordinal);
        Assert.Contains("'run --wait' waits for it", refused.Err, StringComparison.Ordinal);

        var waited = mishap.Run(slow, "run", "--store", _store, "--json", "--wait");
        var (exit, stdout, stderr) = first.Wait(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, stderr);
        Assert.True(waited.Exit == 0, waited.Err);
        Assert.Contains("waiting for 'run' (process ", waited.Err, StringComparison.Ordinal);
        Assert.Equal(400, MishapHost.Computed(stdout));
        Assert.Equal(0, MishapHost.Computed(waited.Out));
        var all = mishap.Run(slow, "results", "value", "--store", _store, "--all-versions");
        string[] rows = all.Out.Trim().Split('\n').Skip(1).ToArray();
        Assert.Equal(400, rows.Length);
        Assert.Equal(400, rows.Select(r => r.Split(',')[0]).Distinct().Count());
    }
}
