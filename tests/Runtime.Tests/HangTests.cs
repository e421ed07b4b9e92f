using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Cairn.Execution;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>A step that hangs: its time limit, the commits that go on meanwhile, and a run stopped while it hangs.</summary>
[Collection("campaign")]
public sealed class HangTests : IDisposable
{
    private const int Hung = 42;

    private readonly TempStore _store = new();

    /// <summary>A run on a thread of its own, ended before the store is deleted.</summary>
    private Thread? _run;

    public HangTests()
    {
        TestSteps.PointCount = 100;
        TestSteps.ResetCalls();
        TestSteps.Hang(Hung);
    }

    public void Dispose()
    {
        TestSteps.Release();
        _run?.Join(TimeSpan.FromSeconds(30));
        _store.Dispose();
    }

    private static (long Computed, long Cached, long Failed, long Skipped) Counts(JsonDocument report, string step)
    {
        JsonElement s = report.RootElement.GetProperty("steps").GetProperty(step);
        return (s.GetProperty("computed").GetInt64(), s.GetProperty("cached").GetInt64(), s.GetProperty("failed").GetInt64(), s.GetProperty("skipped").GetInt64());
    }

    private string[] Stored(string product)
    {
        var (exit, csv, err) = Cli.Run("results", product, "--store", _store.Root);
        Assert.True(exit == 0, err);
        return csv.Trim().Split('\n').Skip(1).Select(line => line.Split(',')[0]).ToArray();
    }

    /// <summary>The indices of the points whose <paramref name="product"/> is stored.</summary>
    private int[] Indices(string product)
    {
        var (_, csv, _) = Cli.Run("results", product, "--store", _store.Root, "--with-points");
        string[] lines = csv.Trim().Split('\n');
        int column = Array.IndexOf(lines[0].Split(','), "Index");
        return lines.Skip(1).Select(l => int.Parse(l.Split(',')[column], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    [Fact]
    public void A_point_whose_step_runs_past_step_timeout_fails_as_TIMEOUT_and_the_others_finish()
    {
        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr) = Cli.Run("run", "--store", _store.Root, "--json", "--workers", "2", "--step-timeout", "1s");

        Assert.True(exit == ExitCodes.StepsFailed, $"exit {exit}: {stderr}");
        Assert.InRange(clock.Elapsed.TotalSeconds, 1, 30);
        using JsonDocument report = JsonDocument.Parse(stdout);
        Assert.Equal((89, 0, 11, 0), Counts(report, "Square"));
        Assert.Equal((89, 0, 0, 11), Counts(report, "Shift"));
        Assert.Equal(1, Counts(report, "Sum").Computed);

        var (_, status, _) = Cli.Run("status", "--store", _store.Root, "--json");
        using JsonDocument statusJson = JsonDocument.Parse(status);
        Assert.Equal(1, statusJson.RootElement.GetProperty("failure_causes").GetProperty("TIMEOUT").GetInt32());
        var (_, text, _) = Cli.Run("status", "--store", _store.Root);
        Assert.Contains("ran longer than its time limit of 1 s", text, StringComparison.Ordinal);
        // A program the step given up on runs (ExternalProgram) is killed: its token is cancelled.
        Assert.True(TestSteps.GivenUpWhileHanging.IsCancellationRequested);

        // The step given up on returns at last: what it returns is not kept.
        int calls = TestSteps.SquareCalls;
        TestSteps.Release();
        Thread.Sleep(200);
        Assert.Equal(89, Stored("square").Length);
        Assert.DoesNotContain(Hung, Indices("square"));

        // The next run tries the point again (and the unlucky ones), and nothing else.
        var (again, rerun, err) = Cli.Run("run", "--store", _store.Root, "--json", "--workers", "2", "--step-timeout", "1s");
        Assert.True(again == ExitCodes.StepsFailed, err);
        using JsonDocument second = JsonDocument.Parse(rerun);
        Assert.Equal((1, 89, 10, 0), Counts(second, "Square"));
        Assert.Equal(calls + 11, TestSteps.SquareCalls);
        Assert.Equal(90, Stored("square").Length);
    }

    [Fact]
    public void A_reduction_past_step_timeout_fails_as_TIMEOUT_and_the_run_goes_on()
    {
        TestSteps.Release();
        using var hold = new ManualResetEventSlim(false);
        TestSteps.HoldReduction = hold;
        try
        {
            var (exit, stdout, stderr) = Cli.Run("run", "--store", _store.Root, "--json", "--step-timeout", "1s");

            Assert.True(exit == ExitCodes.StepsFailed, $"exit {exit}: {stderr}");
            using JsonDocument report = JsonDocument.Parse(stdout);
            Assert.Equal((0, 0, 1, 0), Counts(report, "Sum"));
            Assert.Equal(90, Counts(report, "Square").Computed);
            Assert.Empty(_store.Files("results/total"));
            var (_, status, _) = Cli.Run("status", "--store", _store.Root, "--json");
            using JsonDocument statusJson = JsonDocument.Parse(status);
            Assert.Equal(1, statusJson.RootElement.GetProperty("failure_causes").GetProperty("TIMEOUT").GetInt32());
            Assert.True(TestSteps.GivenUpWhileHeld.IsCancellationRequested);
        }
        finally
        {
            TestSteps.HoldReduction = null;
            hold.Set();
        }

        // Given time, the next run computes it.
        var (again, rerun, error) = Cli.Run("run", "--store", _store.Root, "--json", "--step-timeout", "1m");
        Assert.True(again == ExitCodes.StepsFailed, error);
        using JsonDocument second = JsonDocument.Parse(rerun);
        Assert.Equal((1, 0, 0, 0), Counts(second, "Sum"));
    }

    [Fact]
    public void A_time_limit_declared_on_the_step_applies_without_step_timeout()
    {
        var limited = new EditedCampaign(Campaign.Definition, s => s.Name == "Square" ? s with { Timeout = TimeSpan.FromMilliseconds(500) } : s);

        var (exit, stdout, stderr) = Cli.RunWith(limited, "run", "--store", _store.Root, "--json", "--workers", "2");

        Assert.True(exit == ExitCodes.StepsFailed, $"exit {exit}: {stderr}");
        using JsonDocument report = JsonDocument.Parse(stdout);
        Assert.Equal((89, 0, 11, 0), Counts(report, "Square"));
        var (_, status, _) = Cli.RunWith(limited, "status", "--store", _store.Root);
        Assert.Contains("ran longer than its time limit of 0.5 s", status, StringComparison.Ordinal);
    }

    [Fact]
    public void With_one_point_at_a_time_no_helper_runs_beside_a_slow_step()
    {
        var options = new RunOptions { Store = _store.Root, Workers = 2, PointsAtOnce = 1, HandOverAfter = TimeSpan.FromMilliseconds(100) };
        RunReport? report = null;
        var run = _run = new Thread(() => report = new LocalExecutor<TestPoint>(Campaign.Definition, options).Run());
        run.Start();

        // Points 0 to 42 have run, one after another; while the 43rd hangs, no other point starts
        // (as the helper of a plain run would, after HandOverAfter).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && TestSteps.SquareCalls < Hung + 1)
        {
            Thread.Sleep(20);
        }

        Thread.Sleep(1000);
        Assert.Equal(Hung + 1, TestSteps.SquareCalls);

        TestSteps.Release();
        Assert.True(run.Join(TimeSpan.FromSeconds(20)), "the run did not end once the step returned");
        Assert.Equal(90, report!.Steps[0].Counts.Computed);
        Assert.Equal(100, TestSteps.SquareCalls);
    }

    [Fact]
    public void While_a_step_hangs_the_finished_results_are_committed_on_time_and_a_stop_keeps_them()
    {
        using var stop = new CancellationTokenSource();
        var options = new RunOptions
        {
            Store = _store.Root, Workers = 2, FlushInterval = TimeSpan.FromMilliseconds(100), HandOverAfter = TimeSpan.FromMilliseconds(200),
            CommitInterval = TimeSpan.FromMilliseconds(200), Stop = stop.Token, StopGrace = TimeSpan.FromMilliseconds(300),
        };
        RunReport? report = null;
        var run = _run = new Thread(() => report = new LocalExecutor<TestPoint>(Campaign.Definition, options).Run());
        run.Start();

        // No step time limit: the run waits for the hung point, but the points after it in its chunk
        // are handed to a helper, and every other result is committed meanwhile.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && (Cli.Run("results", "square", "--store", _store.Root).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1) < 89)
        {
            Thread.Sleep(50);
        }

        Assert.Equal(89, Stored("square").Length);
        Assert.True(run.IsAlive, "the run ended though a step hangs");

        var clock = Stopwatch.StartNew();
        stop.Cancel();
        Assert.True(run.Join(TimeSpan.FromSeconds(10)), "the stopped run did not end while a step hangs");
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.2, 10);
        Assert.True(report!.Stopped);
        Assert.Equal(0, report.Steps[2].Counts.Computed + report.Steps[2].Counts.Cached);
        Assert.Empty(_store.Files("results/total"));
        Assert.DoesNotContain(Hung, Indices("square"));
        Assert.Equal(89, Indices("square").Distinct().Count());

        // The next run computes the hung point only, then the reduction.
        TestSteps.Release();
        var (exit, stdout, err) = Cli.Run("run", "--store", _store.Root, "--json", "--workers", "2");
        Assert.True(exit == ExitCodes.StepsFailed, err);
        using JsonDocument second = JsonDocument.Parse(stdout);
        Assert.Equal((1, 89, 10, 0), Counts(second, "Square"));
        Assert.Equal(1, Counts(second, "Sum").Computed);
    }
}
