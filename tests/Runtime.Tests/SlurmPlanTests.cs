using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Cairn.Cli;
using Cairn.Execution;
using Cairn.Slurm;
using Cairn.Storage;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>The parts of Slurm execution that need no cluster: options, causes, bundles, the worker.</summary>
public sealed class SlurmOptionTests
{
    [Theory]
    [InlineData("4000", 4000)]
    [InlineData("500M", 500)]
    [InlineData("4G", 4096)]
    [InlineData("4g", 4096)]
    [InlineData("1T", 1048576)]
    [InlineData("2048K", 2)]
    [InlineData("2GB", 2048)]
    public void Memory_sizes_read_as_slurm_reads_them(string text, long mib) => Assert.Equal(mib, SlurmResources.ParseMemory(text));

    [Theory]
    [InlineData("")]
    [InlineData("12x")]
    [InlineData("0")]
    [InlineData("-5G")]
    [InlineData("1.5G")]
    public void A_bad_memory_size_is_a_usage_error_that_shows_good_ones(string text)
    {
        var e = Assert.Throws<UsageException>(() => SlurmResources.ParseMemory(text));
        Assert.Contains("500M or 4G", e.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }

    [Theory]
    [InlineData("30m", 0, 0, 30, 0)]
    [InlineData("90s", 0, 0, 1, 30)]
    [InlineData("2h", 0, 2, 0, 0)]
    [InlineData("1d", 1, 0, 0, 0)]
    [InlineData("45", 0, 0, 45, 0)]
    [InlineData("1:30", 0, 0, 1, 30)]
    [InlineData("1:30:00", 0, 1, 30, 0)]
    [InlineData("1-12", 1, 12, 0, 0)]
    [InlineData("1-12:30", 1, 12, 30, 0)]
    [InlineData("2-0:0:5", 2, 0, 0, 5)]
    public void Durations_read_in_slurms_forms_and_with_units(string text, int days, int hours, int minutes, int seconds)
    {
        TimeSpan time = SlurmResources.ParseTime("--time", text);
        Assert.Equal(new TimeSpan(days, hours, minutes, seconds), time);
        Assert.Equal(time, SlurmResources.ParseTime("--time", SlurmResources.FormatTime(time)));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("1:2:3:4")]
    [InlineData("30 m")]
    public void A_bad_duration_is_a_usage_error(string text) =>
        Assert.Contains("30m, 2h", Assert.Throws<UsageException>(() => SlurmResources.ParseTime("--task-time", text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Times_are_written_as_days_hours_minutes_seconds_rounded_up()
    {
        Assert.Equal("0-01:30:00", SlurmResources.FormatTime(TimeSpan.FromMinutes(90)));
        Assert.Equal("2-03:04:06", SlurmResources.FormatTime(new TimeSpan(2, 3, 4, 5, 100)));
    }

    [Theory]
    [InlineData("FAILED", "slurmstepd-vm: error: StepId=9.batch exceeded memory limit (537960448 > 524288000), being killed", "OUT_OF_MEMORY")]
    [InlineData("OUT_OF_MEMORY", "", "OUT_OF_MEMORY")]
    [InlineData("FAILED", "kernel: oom-kill: constraint=CONSTRAINT_MEMCG", "OUT_OF_MEMORY")]
    [InlineData("CANCELLED", "slurmstepd: error: *** JOB 12 ON vm CANCELLED AT 2026-12-02T02:42:43 DUE TO TIME LIMIT ***", "TIMEOUT")]
    [InlineData("TIMEOUT", "", "TIMEOUT")]
    [InlineData("DEADLINE", "", "TIMEOUT")]
    [InlineData("NODE_FAIL", "", "NODE_FAIL")]
    [InlineData("BOOT_FAIL", "", "NODE_FAIL")]
    [InlineData("FAILED", "Unhandled exception.", "FAILED")]
    [InlineData("CANCELLED", "slurmstepd: error: *** JOB 12 ON vm CANCELLED AT 2026-12-02T02:42:43 ***", null)]
    [InlineData("PREEMPTED", "", null)]
    [InlineData("COMPLETED", "task 0 of array 0", null)]
    [InlineData("RUNNING", "", null)]
    public void A_dead_tasks_cause_comes_from_its_state_and_log_and_cancelled_points_stay_pending(string state, string log, string? cause) =>
        Assert.Equal(cause, TaskCause.Of(state, log));

    [Fact]
    public void Task_ends_are_read_from_sacct_output()
    {
        const string sacct = "123_0|COMPLETED|0:0\n123_1|OUT_OF_MEMORY|0:125\n123_2|CANCELLED by 0|0:15\n123_3|NODE_FAIL|1:0\n123_[4-9]|PENDING|0:0\n";
        Assert.Equal(
            [new TaskEnd(0, "COMPLETED", "0:0"), new TaskEnd(1, "OUT_OF_MEMORY", "0:125"), new TaskEnd(2, "CANCELLED", "0:15"), new TaskEnd(3, "NODE_FAIL", "1:0")],
            SlurmClient.FromSacct(sacct));
    }

    [Fact]
    public void Task_ends_are_read_from_scontrol_output_as_this_clusters_scontrol_prints_it()
    {
        // Two lines of 'scontrol -o show job 9' (Slurm 22.05), shortened, and the record of a pending range.
        const string scontrol =
            "JobId=10 ArrayJobId=9 ArrayTaskId=1 JobName=array-0.sh UserId=root(0) JobState=FAILED Reason=JobLaunchFailure Dependency=(null) Requeue=1 ExitCode=0:9 StdOut=/s/slurm/1/logs/9_1.log\n" +
            "JobId=9 ArrayJobId=9 ArrayTaskId=0 JobName=array-0.sh UserId=root(0) JobState=COMPLETED Reason=None Dependency=(null) Requeue=1 ExitCode=0:0 StdOut=/s/slurm/1/logs/9_0.log\n" +
            "JobId=11 ArrayJobId=9 ArrayTaskId=2-7%2 JobName=array-0.sh JobState=PENDING Reason=JobArrayTaskLimit ExitCode=0:0\n";
        Assert.Equal([new TaskEnd(1, "FAILED", "0:9"), new TaskEnd(0, "COMPLETED", "0:0")], SlurmClient.FromScontrol(scontrol));
    }

    [Fact]
    public void Bundle_files_give_each_task_its_slice_in_order()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cairn-bundle-{Guid.NewGuid():N}");
        try
        {
            var points = Enumerable.Range(0, 10).Select(i => new BundlePoint(i * 3 + 1, new PointId((ulong)i * 7919, ulong.MaxValue - (ulong)i))).ToArray();
            BundleFile.Write(path, points);
            Assert.Equal(points[0..4], BundleFile.ReadTask(path, 0, 4));
            Assert.Equal(points[4..8], BundleFile.ReadTask(path, 1, 4));
            Assert.Equal(points[8..], BundleFile.ReadTask(path, 2, 4));
            Assert.Empty(BundleFile.ReadTask(path, 3, 4));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>The worker verb on a bundle, run in-process on a store planned by <see cref="Backlog"/>.</summary>
[Collection("campaign")]
public sealed class WorkerTests : IDisposable
{
    private readonly TempStore _store = new();

    public WorkerTests() => TestSteps.PointCount = 100;

    public void Dispose() => _store.Dispose();

    private CampaignStore Plan(out Backlog backlog)
    {
        CampaignStore store = CampaignStore.Open(_store.Root, Campaign.Definition.Graph.Name, create: true);
        backlog = Backlog.Plan(Campaign.Definition, store, storeNewPoints: true);
        return store;
    }

    private static JsonElement Status(string root)
    {
        var (exit, stdout, stderr) = Cli.Run("status", "--store", root, "--json");
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [Fact]
    public void A_worker_runs_exactly_its_tasks_points_and_the_plan_then_leaves_them_out()
    {
        CampaignStore store = Plan(out Backlog backlog);
        Assert.Equal(100, backlog.Points);
        Assert.Equal(100, backlog.NewPoints);
        Assert.Equal(100, backlog.Pending.Count);
        // Duplicates in [Points] count once; places are those of the enumeration.
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), backlog.Pending.Select(p => p.Index));
        Assert.Equal(100, Status(_store.Root).GetProperty("steps").GetProperty("Square").GetProperty("pending").GetInt64());

        string directory = Submission.DirectoryOf(store, 1);
        Directory.CreateDirectory(directory);
        BundleFile.Write(Submission.BundlePath(directory, 0), backlog.Pending);
        var (exit, stdout, stderr) = Cli.Run("worker", "--store", _store.Root, "--submission", "1", "--array", "0", "--points-per-task", "30", "--task", "1", "--workers", "2");
        Assert.True(exit == 0, stderr);
        Assert.Contains("task 1 of array 0, submission 1: 30 points", stdout, StringComparison.Ordinal);

        // Points 30-59: three of them (37, 47, 57) fail in Square; global steps wait for the finish job.
        JsonElement steps = Status(_store.Root).GetProperty("steps");
        Assert.Equal(27, steps.GetProperty("Square").GetProperty("done").GetInt64());
        Assert.Equal(3, steps.GetProperty("Square").GetProperty("failed").GetInt64());
        Assert.Equal(70, steps.GetProperty("Square").GetProperty("pending").GetInt64());
        Assert.Equal(0, steps.GetProperty("Sum").GetProperty("done").GetInt64());
        using (JsonDocument done = JsonDocument.Parse(Cli.Run("results", "square", "--store", _store.Root, "--format", "json", "--with-points").Out))
        {
            Assert.Equal(Enumerable.Range(30, 30).Where(i => !TestSteps.Fails(i)), done.RootElement.EnumerateArray().Select(r => r.GetProperty("Index").GetInt32()).Order());
        }

        Backlog next = Backlog.Plan(Campaign.Definition, store, storeNewPoints: true);
        Assert.Equal(0, next.NewPoints);
        Assert.Equal(27, next.Done);
        Assert.Equal(70, next.Pending.Count);
        Assert.Equal(new[] { 37L, 47, 57 }, Assert.Single(next.Failed).Value.Select(p => p.Index));
        Assert.Equal(typeof(InvalidOperationException).FullName, Assert.Single(next.Failed).Key);
    }

    [Fact]
    public void A_worker_whose_points_changed_since_planning_stops_with_a_message_and_computes_nothing()
    {
        CampaignStore store = Plan(out Backlog backlog);
        string directory = Submission.DirectoryOf(store, 1);
        Directory.CreateDirectory(directory);
        // The plan said another point stands at place 5.
        BundlePoint[] wrong = [backlog.Pending[4], backlog.Pending[5] with { Id = backlog.Pending[6].Id }];
        BundleFile.Write(Submission.BundlePath(directory, 0), wrong);

        var (exit, _, stderr) = Cli.Run("worker", "--store", _store.Root, "--submission", "1", "--array", "0", "--points-per-task", "2", "--task", "0");
        Assert.Equal(ExitCodes.Error, exit);
        Assert.Contains("no longer gives the points this task was planned with", stderr, StringComparison.Ordinal);
        Assert.Contains("Submit again", stderr, StringComparison.Ordinal);
        Assert.Equal(0, Status(_store.Root).GetProperty("steps").GetProperty("Square").GetProperty("done").GetInt64());
    }

    [Theory]
    [InlineData("OUT_OF_MEMORY", "give retry --mem with more than that")]
    [InlineData("TIMEOUT", "give retry --time with more than that")]
    public void Retrying_points_that_outgrew_the_sites_default_needs_a_base_to_scale_and_submits_nothing(string cause, string message)
    {
        CampaignStore store = Plan(out Backlog backlog);
        var failures = new FailureBuffer();
        failures.Add("Square", backlog.Pending[0].Id.ToGuid(), cause, "Slurm task 0 of job 1 ended FAILED");
        using (ShardSink sink = store.CreateSink(CampaignStore.TableFormat, store.FailuresDirectory, "failures", 100, TimeSpan.MaxValue))
        {
            sink.Append(failures.All);
            sink.Commit();
        }

        Backlog planned = Backlog.Plan(Campaign.Definition, store, storeNewPoints: false);
        Assert.Equal(backlog.Pending[0], Assert.Single(planned.Failed[cause]));

        var (exit, _, stderr) = Cli.Run("retry", "--slurm", "--store", _store.Root, "--points-per-task", "1");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_store.Root, Submission.Directory)));
    }

    [Fact]
    public void A_points_method_that_throws_stops_run_and_planning_with_one_message_naming_it()
    {
        TestSteps.PointsThrow = true;
        try
        {
            var (exit, _, stderr) = Cli.Run("run", "--store", _store.Root, "--workers", "2");
            Assert.Equal(ExitCodes.Error, exit);
            Assert.Equal("error: the [Points] method threw FormatException: bad row 50; fix it and run again (nothing was lost).", stderr.TrimEnd());

            CampaignStore store = CampaignStore.Open(_store.Root, Campaign.Definition.Graph.Name, create: false);
            var e = Assert.Throws<CairnException>(() => Backlog.Plan(Campaign.Definition, store, storeNewPoints: false));
            Assert.StartsWith("the [Points] method threw FormatException: bad row 50", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            TestSteps.PointsThrow = false;
        }
    }

    [Fact]
    public void Submit_without_slurm_or_with_both_bundle_sizes_is_a_usage_error_before_the_store_is_made()
    {
        var (exit, _, stderr) = Cli.Run("submit", "--store", _store.Root, "--points-per-task", "3");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("needs --slurm", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = Cli.Run("submit", "--slurm", "--store", _store.Root, "--points-per-task", "3", "--task-time", "1h");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("not both", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = Cli.Run("retry", "--slurm", "--store", _store.Root, "--mem-factor", "0.5");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--mem-factor", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store.Root));
    }

    [Fact]
    public void Submit_passes_step_timeout_on_to_every_task_and_the_worker_verb_checks_it()
    {
        var (exit, plan, stderr) = Cli.Run("submit", "--slurm", "--dry-run", "--store", _store.Root, "--points-per-task", "50", "--step-timeout", "90s");

        Assert.True(exit == ExitCodes.Success, stderr);
        string worker = plan.Split('\n').Single(line => line.Contains(" worker --store ", StringComparison.Ordinal));
        Assert.EndsWith("--step-timeout 90s", worker.TrimEnd(), StringComparison.Ordinal);
        var (bad, _, error) = Cli.Run("worker", "--store", _store.Root, "--step-timeout", "soon");
        Assert.Equal(ExitCodes.Usage, bad);
        Assert.Contains("option '--step-timeout' takes a duration", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10", true)]
    [InlineData("2:00:00", true)]
    [InlineData("9", false)]
    public void Tasks_of_ten_minutes_or_more_ask_Slurm_for_SIGUSR1_a_minute_before_their_time_limit(string time, bool warned)
    {
        var (exit, plan, stderr) = Cli.Run("submit", "--slurm", "--dry-run", "--store", _store.Root, "--points-per-task", "50", "--time", time);

        Assert.True(exit == ExitCodes.Success, stderr);
        string[] lines = plan.Split('\n');
        Assert.Equal(warned ? 1 : 0, lines.Count(line => line == "#SBATCH --signal=B:USR1@60"));
        // The warning goes to the batch shell, so the script must become the worker.
        Assert.Single(lines, line => line.StartsWith("exec ", StringComparison.Ordinal) && line.Contains(" worker --store ", StringComparison.Ordinal));
    }
}
