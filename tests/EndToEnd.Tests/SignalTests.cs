using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>SIGINT and SIGTERM on a real run: what was finished is kept, a second signal quits at once.</summary>
[Collection("builds")]
public sealed class SignalTests(MishapHost mishap) : IDisposable
{
    private readonly string _store = Shell.TempDirectory("cairn-signal-store");

    public void Dispose() => Directory.Delete(_store, recursive: true);

    private static (long Computed, long Cached) Counts(string json, string step)
    {
        JsonElement s = JsonDocument.Parse(json).RootElement.GetProperty("steps").GetProperty(step);
        return (s.GetProperty("computed").GetInt64(), s.GetProperty("cached").GetInt64());
    }

    [Fact]
    public void Ctrl_C_while_a_step_hangs_keeps_every_finished_result_and_exits_130_and_the_next_run_computes_the_rest()
    {
        using MishapHost.Running run = mishap.Start([("MISHAP_HANG", "50")], "run", "--store", _store, "--json");
        Thread.Sleep(TimeSpan.FromSeconds(4));
        Assert.False(run.HasExited, "the run ended though a step hangs");

        run.Signal("INT");
        var (exit, stdout, stderr) = run.Wait(TimeSpan.FromSeconds(20));

        Assert.True(exit == 130, $"exit {exit}: {stderr}");
        Assert.Contains("stopped: ", stderr, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("stopped").GetBoolean());
        (long kept, _) = Counts(stdout, "Compute");
        Assert.Equal(199, kept);

        var rerun = mishap.Run([], "run", "--store", _store, "--json");
        Assert.True(rerun.Exit == 0, rerun.Err);
        Assert.Equal((200 - kept, kept), Counts(rerun.Out, "Compute"));
        Assert.Equal((1, 0), Counts(rerun.Out, "Sum"));
    }

    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("USR1", 138)]
    public void SIGTERM_or_the_time_limits_SIGUSR1_during_a_run_keeps_what_was_finished_and_exits_with_its_code(string signal, int code)
    {
        (string, string)[] slow = [("MISHAP_POINTS", "2000"), ("MISHAP_SLEEP_MS", "5")];
        using MishapHost.Running run = mishap.Start(slow, "run", "--store", _store, "--json");
        Thread.Sleep(TimeSpan.FromSeconds(2.5));

        run.Signal(signal);
        var (exit, stdout, stderr) = run.Wait(TimeSpan.FromSeconds(20));

        Assert.True(exit == code, $"exit {exit}: {stderr}");
        (long kept, _) = Counts(stdout, "Compute");
        Assert.InRange(kept, 1, 1999);
        var rerun = mishap.Run(slow, "run", "--store", _store, "--json");
        Assert.True(rerun.Exit == 0, rerun.Err);
        Assert.Equal((2000 - kept, kept), Counts(rerun.Out, "Compute"));
    }

    [Fact]
    public void A_second_Ctrl_C_quits_at_once_without_committing()
    {
        using MishapHost.Running run = mishap.Start([("MISHAP_HANG", "50")], "run", "--store", _store);
        Thread.Sleep(TimeSpan.FromSeconds(4));

        run.Signal("INT");
        // Half a second apart at least: a signal the terminal and the run's supervisor both pass on arrives twice at once.
        Thread.Sleep(1000);
        run.Signal("INT");
        var (exit, _, stderr) = run.Wait(TimeSpan.FromSeconds(20));

        Assert.True(exit == 130, $"exit {exit}: {stderr}");
        Assert.DoesNotContain("stopped: ", stderr, StringComparison.Ordinal);
        // Nothing was committed: the run's shards were still open (commits come every 5 minutes).
        var status = mishap.Run([], "status", "--store", _store, "--json");
        Assert.True(status.Exit == 0, status.Err);
        Assert.Equal(0, JsonDocument.Parse(status.Out).RootElement.GetProperty("steps").GetProperty("Compute").GetProperty("done").GetInt64());
    }
}
