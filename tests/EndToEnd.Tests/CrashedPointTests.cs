using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>
/// A point whose step ends the process (an abort, a stack overflow, an exit, the out-of-memory
/// killer) costs that point only; <c>run --isolate</c> names it; a kill of the whole run costs nothing.
/// </summary>
[Collection("builds")]
public sealed class CrashedPointTests(MishapHost mishap) : IDisposable
{
    private readonly string _store = Shell.TempDirectory("cairn-crash-store");

    public void Dispose() => Directory.Delete(_store, recursive: true);

    private static long Number(string json, string name) => JsonDocument.Parse(json).RootElement.GetProperty(name).GetInt64();

    private JsonElement Status()
    {
        var status = mishap.Run([], "status", "--store", _store, "--json");
        Assert.True(status.Exit == 0, status.Err);
        return JsonDocument.Parse(status.Out).RootElement.Clone();
    }

    /// <summary>The indices of the points whose value is stored.</summary>
    private int[] Stored()
    {
        var results = mishap.Run([], "results", "value", "--store", _store, "--with-points", "--format", "json");
        Assert.True(results.Exit == 0, results.Err);
        return JsonDocument.Parse(results.Out).RootElement.EnumerateArray().Select(r => r.GetProperty("Index").GetInt32()).ToArray();
    }

    [Theory]
    [InlineData("MISHAP_FAILFAST", "signal 6, SIGABRT")]
    [InlineData("MISHAP_OVERFLOW", "signal 6, SIGABRT")]
    [InlineData("MISHAP_EXIT", "exit code 0, from inside a step")]
    public void A_step_that_ends_the_process_costs_its_point_only(string mishapVariable, string how)
    {
        var run = mishap.Run([(mishapVariable, "50")], "run", "--store", _store, "--json", "--workers", "1");

        Assert.True(run.Exit == 3, $"exit {run.Exit}: {run.Err}");
        Assert.Contains($"the run's process ended ({how}", run.Err, StringComparison.Ordinal);
        Assert.Equal(1, Number(run.Out, "crashed"));
        Assert.Equal(199, MishapHost.Computed(run.Out));
        Assert.Equal(199, Stored().Length);
        Assert.DoesNotContain(50, Stored());
        JsonElement status = Status();
        Assert.Equal(1, status.GetProperty("failure_causes").GetProperty("CRASHED").GetInt32());

        // A plain run leaves the point out rather than crash again.
        var again = mishap.Run([(mishapVariable, "50")], "run", "--store", _store, "--json", "--workers", "1");
        Assert.True(again.Exit == 3, again.Err);
        Assert.Equal(0, Number(again.Out, "crashed"));
        Assert.Equal(1, Number(again.Out, "left_out"));
        Assert.Equal(0, MishapHost.Computed(again.Out));
    }

    [Fact]
    public void Run_isolate_runs_each_crashed_point_alone_names_the_guilty_one_and_finishes_the_others()
    {
        (string, string)[] abort = [("MISHAP_FAILFAST", "50"), ("MISHAP_SLEEP_MS", "5")];
        var run = mishap.Run(abort, "run", "--store", _store, "--json", "--workers", "2");
        Assert.True(run.Exit == 3, run.Err);
        long crashed = Number(run.Out, "crashed");
        Assert.InRange(crashed, 1, 2);
        Assert.Equal(200 - crashed, Stored().Length);

        var isolate = mishap.Run(abort, "run", "--store", _store, "--json", "--isolate");

        Assert.True(isolate.Exit == 3, isolate.Err);
        Assert.Single(isolate.Err.Split('\n'), line => line.Contains("ends the process when run alone (signal 6, SIGABRT", StringComparison.Ordinal));
        Assert.Equal(crashed - 1, isolate.Err.Split('\n').Count(line => line.Contains("ran alone without ending the process", StringComparison.Ordinal)));
        Assert.Equal(199, Stored().Length);
        Assert.DoesNotContain(50, Stored());
        JsonElement status = Status();
        Assert.Equal(1, status.GetProperty("failure_causes").GetProperty("CRASHED").GetInt32());
        JsonElement failure = Assert.Single(status.GetProperty("failures").EnumerateArray());
        Assert.Contains("alone in a process of its own", failure.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_that_returns_a_string_that_is_not_valid_UTF16_fails_that_point_as_INVALID_TEXT()
    {
        var run = mishap.Run([("MISHAP_BADTEXT", "7")], "run", "--store", _store, "--json");

        Assert.True(run.Exit == 3, $"exit {run.Exit}: {run.Err}");
        Assert.Equal(199, MishapHost.Computed(run.Out));
        Assert.Equal(199, Stored().Length);
        Assert.DoesNotContain(7, Stored());
        JsonElement status = Status();
        Assert.Equal(1, status.GetProperty("failure_causes").GetProperty("INVALID_TEXT").GetInt32());
        Assert.Contains("returned a string that is not valid UTF-16 in 'Label'", status.GetProperty("failures")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        var results = mishap.Run([], "results", "value", "--store", _store);
        Assert.DoesNotContain('\uFFFD', results.Out);
    }

    [Fact]
    public void A_step_that_ends_the_process_at_every_point_stops_the_run_after_20_crashes()
    {
        var run = mishap.Run([("MISHAP_FAILFAST", "-2")], "run", "--store", _store, "--workers", "1");

        Assert.True(run.Exit == 3, $"exit {run.Exit}: {run.Err}");
        Assert.Contains("error: the run's process ended 20 times while steps ran, and 20 point(s) are recorded as CRASHED", run.Err, StringComparison.Ordinal);
        Assert.Equal(20, Status().GetProperty("failure_causes").GetProperty("CRASHED").GetInt32());
    }

    [Fact]
    public void A_point_that_the_out_of_memory_killer_ends_is_recorded_as_OUT_OF_MEMORY_and_the_others_finish()
    {
        // The run in a cgroup of 600 MB; point 50 fills 1 GiB: the kernel kills the child that works.
        using var cgroup = new MemoryCgroup(600L << 20);
        var run = cgroup.Run([("MISHAP_BALLOON", "50")], mishap.Directory, "dotnet", mishap.Host, "run", "--store", _store, "--json", "--workers", "1");

        Assert.True(run.Exit == 3, $"exit {run.Exit}: {run.Err}");
        Assert.Contains("the run's process ended (signal 9, SIGKILL, from the out-of-memory killer", run.Err, StringComparison.Ordinal);
        Assert.Equal(1, Number(run.Out, "crashed"));
        Assert.Equal(199, MishapHost.Computed(run.Out));
        Assert.DoesNotContain(50, Stored());
        JsonElement failure = Assert.Single(Status().GetProperty("failures").EnumerateArray());
        Assert.Equal("OUT_OF_MEMORY", failure.GetProperty("error_type").GetString());
        Assert.Contains("oom_kill count rose", failure.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_process_killed_by_SIGKILL_as_the_out_of_memory_killer_does_costs_its_point_only()
    {
        using MishapHost.Running run = mishap.Start([("MISHAP_HANG", "50")], "run", "--store", _store, "--json", "--workers", "1");
        int child = ChildOf(run.Id);
        Thread.Sleep(TimeSpan.FromSeconds(3));

        Assert.Equal(0, Shell.Run("kill", _store, "-KILL", child.ToString(CultureInfo.InvariantCulture)).Exit);
        var (exit, stdout, stderr) = run.Wait(TimeSpan.FromSeconds(60));

        Assert.True(exit == 3, $"exit {exit}: {stderr}");
        Assert.Contains("signal 9, SIGKILL: killed, most often by the out-of-memory killer", stderr, StringComparison.Ordinal);
        Assert.Equal(1, Number(stdout, "crashed"));
        Assert.Equal(199, Stored().Length);
    }

    [Fact]
    public void A_SIGTERM_to_the_worker_process_alone_stops_the_run_as_one_to_the_run_would_and_records_no_crash()
    {
        using MishapHost.Running run = mishap.Start([("MISHAP_HANG", "50")], "run", "--store", _store, "--json", "--workers", "1");
        int child = ChildOf(run.Id);
        Thread.Sleep(TimeSpan.FromSeconds(3));

        Assert.Equal(0, Shell.Run("kill", _store, "-TERM", child.ToString(CultureInfo.InvariantCulture)).Exit);
        var (exit, stdout, stderr) = run.Wait(TimeSpan.FromSeconds(30));

        Assert.True(exit == 143, $"exit {exit}: {stderr}");
        Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("stopped").GetBoolean());
        Assert.False(Status().GetProperty("failure_causes").TryGetProperty("CRASHED", out _), "a stopped run's hung point was recorded as a crash");
    }

    [Fact]
    public void A_kill_of_the_whole_run_takes_its_worker_process_with_it_and_records_nothing()
    {
        int killedId;
        using (MishapHost.Running run = mishap.Start([("MISHAP_HANG", "50")], "run", "--store", _store, "--workers", "1"))
        {
            killedId = run.Id;
            int child = ChildOf(run.Id);
            Thread.Sleep(TimeSpan.FromSeconds(3));
            Assert.Equal(0, Shell.Run("kill", _store, "-KILL", run.Id.ToString(CultureInfo.InvariantCulture)).Exit);
            run.Wait(TimeSpan.FromSeconds(20));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Directory.Exists($"/proc/{child}") && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }

            Assert.False(Directory.Exists($"/proc/{child}"), "the worker process outlived the killed run");
            Assert.NotEmpty(Directory.GetFiles(Path.GetTempPath(), $"cairn-journal-{run.Id}-*"));
        }

        var rerun = mishap.Run([], "run", "--store", _store, "--json");
        Assert.True(rerun.Exit == 0, rerun.Err);
        Assert.Equal(0, Number(rerun.Out, "left_out"));
        Assert.Equal(200, MishapHost.Computed(rerun.Out));
        // The next supervised run deleted the journal the killed one left.
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $"cairn-journal-{killedId}-*"));
    }

    /// <summary>The process id of the run's worker process (the supervisor's child), once it has started.</summary>
    private static int ChildOf(int parent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var children = Shell.Run("pgrep", "/", "-P", parent.ToString(CultureInfo.InvariantCulture));
            if (children.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries) is [string only])
            {
                return int.Parse(only, CultureInfo.InvariantCulture);
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"process {parent} started no worker process");
    }
}
