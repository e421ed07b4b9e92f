using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Cairn.Cli;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Scheduling;
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
    public void Memory_sizes_read_as_slurm_reads_them(string text, long mib) => Assert.Equal(mib, TaskResources.ParseMemory(text));

    [Theory]
    [InlineData("")]
    [InlineData("12x")]
    [InlineData("0")]
    [InlineData("-5G")]
    [InlineData("1.5G")]
    public void A_bad_memory_size_is_a_usage_error_that_shows_good_ones(string text)
    {
        var e = Assert.Throws<UsageException>(() => TaskResources.ParseMemory(text));
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
        TimeSpan time = TaskResources.ParseTime("--time", text);
        Assert.Equal(new TimeSpan(days, hours, minutes, seconds), time);
        Assert.Equal(time, TaskResources.ParseTime("--time", TaskResources.FormatTime(time)));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("1:2:3:4")]
    [InlineData("30 m")]
    public void A_bad_duration_is_a_usage_error(string text) =>
        Assert.Contains("30m, 2h", Assert.Throws<UsageException>(() => TaskResources.ParseTime("--task-time", text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Times_are_written_as_days_hours_minutes_seconds_rounded_up()
    {
        Assert.Equal("0-01:30:00", TaskResources.FormatTime(TimeSpan.FromMinutes(90)));
        Assert.Equal("2-03:04:06", TaskResources.FormatTime(new TimeSpan(2, 3, 4, 5, 100)));
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
    public void Queued_tasks_are_read_from_squeue_output_with_why_they_wait()
    {
        // 'squeue -h -r -o "%i %T %r"' (Slurm 22.05): a reason may hold spaces, and "None" is none.
        const string squeue = "9_0 RUNNING None\n9_3 PENDING JobArrayTaskLimit\n10 PENDING Dependency\n11_2 PENDING ReqNodeNotAvail, UnavailableNodes:vm\n";
        Assert.Equal(
            [new QueuedTask("9_0", "RUNNING", null), new QueuedTask("9_3", "PENDING", "JobArrayTaskLimit"), new QueuedTask("10", "PENDING", "Dependency"), new QueuedTask("11_2", "PENDING", "ReqNodeNotAvail, UnavailableNodes:vm")],
            SlurmClient.FromSqueue(squeue));
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
    public void Bundle_files_give_each_task_its_slice_in_order_with_what_was_stored_and_the_shards_of_its_inputs()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cairn-bundle-{Guid.NewGuid():N}");
        try
        {
            // Runs of consecutive places, broken by gaps and by a change of the stored mask.
            long[] places = [1, 2, 3, 7, 8, 9, 10, 40_000, 40_001, 1_000_000_000_000];
            var points = places.Select((place, i) => new BundlePoint(place, new PointId((ulong)i * 7919, ulong.MaxValue - ((ulong)i * 104_729)), i is 2 or 8 ? StoredState.PointBit | 1 : StoredState.PointBit)).ToArray();
            IEnumerable<string> ShardsOf(BundlePoint point) => point.Stored == (StoredState.PointBit | 1) ? [$"results/square/{point.Index}.parquet"] : [];
            BundleFile.Write(path, points, 4, ShardsOf);

            for (int task = 0; task < 3; task++)
            {
                BundlePoint[] slice = points.Skip(task * 4).Take(4).ToArray();
                BundleTask read = BundleFile.ReadTask(path, task);
                Assert.Equal(slice.Select(p => p.Planned), read.Points);
                Assert.Equal(slice.SelectMany(ShardsOf), read.InputShards);
                Assert.All(slice, p => Assert.True(read.Points.Single(r => r.Index == p.Index).Matches(p.Id)));
            }

            Assert.Empty(BundleFile.ReadTask(path, 3).Points);
            File.WriteAllBytes(path, new byte[24]);
            Assert.Contains("is not a bundle that this version of Cairn reads", Assert.Throws<StoreException>(() => BundleFile.ReadTask(path, 0)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Task_logs_are_folded_into_one_file_each_once_and_the_finish_jobs_log_stays()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"cairn-logs-{Guid.NewGuid():N}");
        string logs = Submission.LogsPath(directory);
        Directory.CreateDirectory(logs);
        try
        {
            File.WriteAllText(Path.Combine(logs, "12_0.log"), "task 0 of array 0: 4 points\n");
            File.WriteAllText(Path.Combine(logs, "12_1.log"), "slurmstepd: error: Detected 1 oom-kill event");
            File.WriteAllText(Path.Combine(logs, "finish_14.log"), "running\n");
            Assert.Equal(2, TaskLogs.Fold(directory));
            Assert.Equal(["finish_14.log"], Directory.GetFiles(logs).Select(Path.GetFileName));

            // A log folded before a kill, but not yet deleted, is not folded twice; a new one is.
            File.WriteAllText(Path.Combine(logs, "12_1.log"), "slurmstepd: error: Detected 1 oom-kill event");
            File.WriteAllText(Path.Combine(logs, "13_0.log"), "task 0 of array 1: 1 points\n");
            Assert.Equal(2, TaskLogs.Fold(directory));
            Assert.Equal(
                ["==> 12_0.log <==", "task 0 of array 0: 4 points", "==> 12_1.log <==", "slurmstepd: error: Detected 1 oom-kill event", "==> 13_0.log <==", "task 0 of array 1: 1 points"],
                File.ReadAllLines(TaskLogs.FoldedPath(directory)));
            Assert.Equal(0, TaskLogs.Fold(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(1, 4.01)]           // planned in one sweep: a fingerprint, and a few bytes per task
    [InlineData(3, 6.01)]           // every third place, as a retry of scattered points: a run per point
    [InlineData(2_000_000, 8.01)]   // about the furthest apart that still costs at most 8 bytes a point
    public void A_bundle_costs_at_most_8_bytes_a_point(int stride, double most)
    {
        string path = Path.Combine(Path.GetTempPath(), $"cairn-bundle-{Guid.NewGuid():N}");
        try
        {
            const int count = 100_000;
            var points = Enumerable.Range(0, count).Select(i => new BundlePoint((long)i * stride, new PointId((ulong)i, (ulong)i * 0x9E3779B97F4A7C15), StoredState.PointBit)).ToArray();
            BundleFile.Write(path, points, 20_000);
            double perPoint = (double)new FileInfo(path).Length / count;
            Assert.InRange(perPoint, 4.0, most);
            Assert.Equal(points[20_000..40_000].Select(p => p.Planned), BundleFile.ReadTask(path, 1).Points);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Submission Submitted(int number, params (string Cause, int PointsPerTask)[] arrays) =>
        new(number, number == 1 ? "submit" : "retry", DateTime.UtcNow, "", null,
            arrays.Select((a, i) => new JobArray(i, a.Cause, 100, 100 / a.PointsPerTask, a.PointsPerTask, new TaskResources { MemoryMb = 400 }, "7")).ToList(), "8", "slurm");

    [Fact]
    public void The_planner_puts_each_group_into_arrays_of_at_most_max_array_tasks_in_its_own_bundle_size()
    {
        static List<BundlePoint> Points(int from, int count) =>
            Enumerable.Range(from, count).Select(i => new BundlePoint(i, new PointId(0, (ulong)i), StoredState.PointBit)).ToList();
        var pending = new BundleGroup("pending", Points(0, 25), new TaskResources { MemoryMb = 400 });
        var memory = new BundleGroup("OUT_OF_MEMORY", Points(100, 3), new TaskResources { MemoryMb = 1200 }, PointsPerTask: 1, PointsAtOnce: 1);

        List<PlannedArray> arrays = SubmissionPlanner.Arrays([pending, memory], pointsPerTask: 4, maxArray: 3);

        // 25 points in tasks of 4, at most 3 tasks an array: 12, 12 and 1; then the group's own size.
        Assert.Equal(
            [(0, "pending", 12L, 3, 4, (int?)null), (1, "pending", 12L, 3, 4, null), (2, "pending", 1L, 1, 4, null), (3, "OUT_OF_MEMORY", 3L, 3, 1, 1)],
            arrays.Select(a => (a.Array.Index, a.Array.Cause, a.Array.Points, a.Array.Tasks, a.Array.PointsPerTask, a.Array.PointsAtOnce)));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), arrays.Take(3).SelectMany(a => a.Points).Select(p => p.Index));
        Assert.Equal(1200, arrays[3].Array.Resources.MemoryMb);
        Assert.Throws<ArgumentException>(() => SubmissionPlanner.Arrays([pending], pointsPerTask: null, maxArray: 3));
    }

    [Fact]
    public void A_scheduler_this_version_does_not_know_is_named_in_one_line_that_says_what_to_do()
    {
        Assert.Same(BatchSchedulers.Slurm, BatchSchedulers.Of(Submitted(1, ("pending", 10))));
        Submission elsewhere = Submitted(1, ("pending", 10)) with { Scheduler = "pbs" };
        Assert.Equal(
            "submission 1 went to the scheduler 'pbs', which this version of Cairn does not know; use the version that submitted it.",
            Assert.Throws<StoreException>(() => BatchSchedulers.Of(elsewhere)).Message);
        Assert.Contains("option '--scheduler' takes 'slurm'", Assert.Throws<UsageException>(() => BatchSchedulers.Named("pbs")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Points_that_ran_out_of_memory_keep_their_bundles_size_and_go_one_per_task_once_a_retry_ran_out_too()
    {
        Assert.Null(MemoryRetry.PointsPerTask([]));
        Assert.Equal(10, MemoryRetry.PointsPerTask([Submitted(1, ("pending", 10))]));
        Assert.Equal(5, MemoryRetry.PointsPerTask([Submitted(1, ("pending", 20), ("pending", 5))]));
        Assert.Equal(1, MemoryRetry.PointsPerTask([Submitted(1, ("pending", 10)), Submitted(2, ("OUT_OF_MEMORY", 10))]));
    }

    [Theory]
    [InlineData(400, 3.0, null, 1200)]
    [InlineData(400, 1.5, null, 600)]
    [InlineData(400, 3.0, 1L << 30, 1280)]          // provenance measured 1 GiB: a quarter more
    [InlineData(400, 3.0, 100L << 20, 1200)]        // a measured peak under the factor's memory changes nothing
    public void A_memory_retry_gives_the_factor_times_the_memory_and_a_quarter_more_than_the_measured_peak(long failed, double factor, long? peak, long mb) =>
        Assert.Equal(mb, MemoryRetry.MemoryMb(failed, factor, peak));

    [Theory]
    [InlineData("20m", 570)]   // the warning a minute before the limit, then half of what is left
    [InlineData("8m", 240)]    // under 10 minutes no warning is asked for
    [InlineData("2h", 3570)]
    public void A_time_limit_holds_twice_the_work_planned_into_it_after_the_warning(string limit, int seconds)
    {
        TimeSpan given = TaskResources.ParseTime("--time", limit);
        Assert.Equal(TimeSpan.FromSeconds(seconds), TaskSizing.WorkFor(given, BatchSchedulers.Slurm));
        Assert.Equal(given, TaskSizing.LimitFor(TaskSizing.WorkFor(given, BatchSchedulers.Slurm), BatchSchedulers.Slurm));
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
        BundleFile.Write(Submission.BundlePath(directory, 0), backlog.Pending, 30);
        var (exit, stdout, stderr) = Cli.Run("worker", "--store", _store.Root, "--submission", "1", "--array", "0", "--task", "1", "--workers", "2");
        Assert.True(exit == 0, stderr);
        Assert.Contains("task 1 of array 0, submission 1: 30 points", stdout, StringComparison.Ordinal);
        // The plan stored the points; the task does not store them again.
        Assert.Equal(100, _store.Files("points").Sum(CampaignStore.Rows));

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
    public void A_worker_handed_over_by_its_batch_shell_without_a_supervisor_ends_as_the_first_one_did_and_computes_nothing()
    {
        CampaignStore store = Plan(out Backlog backlog);
        string directory = Submission.DirectoryOf(store, 1);
        Directory.CreateDirectory(directory);
        BundleFile.Write(Submission.BundlePath(directory, 0), backlog.Pending, 30);

        // In-process, as with CAIRN_SUPERVISE=0: nobody supervises, so the task ends as its worker did.
        var (exit, stdout, _) = Cli.Run("worker", "--store", _store.Root, "--submission", "1", "--array", "0", "--task", "0", "--child-ended", "134", "--journal", "/nonexistent");
        Assert.Equal(134, exit);
        Assert.Equal("", stdout);
        Assert.Equal(100, Status(_store.Root).GetProperty("steps").GetProperty("Square").GetProperty("pending").GetInt64());
    }

    [Fact]
    public void A_worker_whose_points_changed_since_planning_stops_with_a_message_and_computes_nothing()
    {
        CampaignStore store = Plan(out Backlog backlog);
        string directory = Submission.DirectoryOf(store, 1);
        Directory.CreateDirectory(directory);
        // The plan said another point stands at place 5.
        BundlePoint[] wrong = [backlog.Pending[4], backlog.Pending[5] with { Id = backlog.Pending[6].Id }];
        BundleFile.Write(Submission.BundlePath(directory, 0), wrong, 2);

        var (exit, _, stderr) = Cli.Run("worker", "--store", _store.Root, "--submission", "1", "--array", "0", "--task", "0");
        Assert.Equal(ExitCodes.Error, exit);
        Assert.Contains("no longer gives the points this task was planned with", stderr, StringComparison.Ordinal);
        Assert.Contains("Submit again", stderr, StringComparison.Ordinal);
        Assert.Equal(0, Status(_store.Root).GetProperty("steps").GetProperty("Square").GetProperty("done").GetInt64());
    }

    /// <summary>Writes bytes that no reader takes for a shard over every committed file of <paramref name="relative"/>.</summary>
    private void Damage(string relative, string? except = null)
    {
        foreach (string shard in _store.Files(relative).Where(f => except is null || !f.EndsWith(except, StringComparison.Ordinal)))
        {
            File.WriteAllBytes(shard, new byte[64]);
        }
    }

    private string Worker(CampaignDefinition<TestPoint> definition, int task)
    {
        var (exit, stdout, stderr) = Cli.RunWith(definition, "worker", "--store", _store.Root, "--submission", "1", "--array", "0", "--task", task.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(exit == 0, stderr);
        return stdout;
    }

    private void WriteBundle(CampaignStore store, Backlog backlog, int pointsPerTask)
    {
        string directory = Submission.DirectoryOf(store, 1);
        Directory.CreateDirectory(directory);
        BundleFile.Write(Submission.BundlePath(directory, 0), backlog.Pending, pointsPerTask, backlog.InputShardsOf);
    }

    [Fact]
    public void A_worker_takes_what_is_stored_from_its_plan_and_reads_no_other_tasks_shards()
    {
        CampaignStore store = Plan(out Backlog backlog);
        WriteBundle(store, backlog, 30);
        Worker(Campaign.Definition, 0);

        // Every shard the plan and the first task committed is now unreadable: a task that read the
        // store's state would stop on them.
        Damage("points");
        Damage("results/square");
        Damage("results/shift");
        TestSteps.ResetCalls();
        string stdout = Worker(Campaign.Definition, 1);

        Assert.Contains("Square 27 computed, 0 cached, 3 failed", stdout, StringComparison.Ordinal);
        Assert.Equal(30, TestSteps.SquareCalls);
    }

    [Fact]
    public void A_task_that_Slurm_starts_again_computes_nothing_its_first_attempt_committed()
    {
        CampaignStore store = Plan(out Backlog backlog);
        WriteBundle(store, backlog, 30);
        Worker(Campaign.Definition, 1);
        TestSteps.ResetCalls();

        // Requeued (after a node failure, say): the same task from the same plan.
        string again = Worker(Campaign.Definition, 1);

        Assert.Contains("Square 0 computed, 27 cached, 3 failed", again, StringComparison.Ordinal);
        // Only the points whose step failed run again, and fail again.
        Assert.Equal(3, TestSteps.SquareCalls);

        // Once a compaction has merged the shards (the submission's finish job ran), the names are
        // gone: a task started again reads the store's state instead of trusting its plan.
        Worker(Campaign.Definition, 0);
        var (exit, _, stderr) = Cli.Run("compact", "--store", _store.Root);
        Assert.True(exit == 0, stderr);
        Assert.DoesNotContain(_store.Files("results/square"), f => ShardWriter.IsTagged(f, Submission.TaskTag(1, 0, 1)));
        TestSteps.ResetCalls();
        Assert.Contains("Square 0 computed, 27 cached, 3 failed", Worker(Campaign.Definition, 1), StringComparison.Ordinal);
        Assert.Equal(3, TestSteps.SquareCalls);
        using JsonDocument all = JsonDocument.Parse(Cli.Run("results", "square", "--store", _store.Root, "--format", "json", "--all-versions").Out);
        Assert.Equal(54, all.RootElement.GetArrayLength());
    }

    [Fact]
    public void A_worker_whose_steps_read_stored_results_reads_only_the_shards_its_plan_found_them_in()
    {
        var (exit, _, stderr) = Cli.Run("run", "--store", _store.Root);
        Assert.True(exit == ExitCodes.StepsFailed, stderr);
        string[] square = _store.Files("results/square");
        CampaignStore store = CampaignStore.Open(_store.Root, Campaign.Definition.Graph.Name, create: false);

        // Shift's body changed: its 90 points must read their stored Square results.
        EditedCampaign edited = EditedCampaign.WithNewCode("Shift");
        Backlog backlog = Backlog.Plan(edited, store, storeNewPoints: false);
        Assert.Equal(90, backlog.Pending.Count);
        Assert.All(backlog.Pending, p => Assert.Equal([Path.GetRelativePath(_store.Root, Assert.Single(square))], backlog.InputShardsOf(p)));
        WriteBundle(store, backlog, 90);
        // A shard of the product that the plan did not name, and that no reader could read.
        File.WriteAllBytes(Path.Combine(_store.Root, "results/square", "20990101T000000-elsewhere-1-0001.parquet"), new byte[64]);

        TestSteps.ResetCalls();
        string stdout = Worker(edited, 0);

        Assert.True(stdout.Contains("Square 0 computed, 90 cached, 0 failed, Shift 90 computed", StringComparison.Ordinal), stdout);
        Assert.Equal(0, TestSteps.SquareCalls);
    }

    /// <summary>Commits provenance rows of successful runs, as steps that took these seconds in a process of this peak would leave.</summary>
    private static void Measured(CampaignStore store, Guid? point, params (string Step, double Seconds, long PeakBytes)[] runs)
    {
        var provenance = new ProvenanceBuffer();
        foreach ((string step, double seconds, long peak) in runs)
        {
            provenance.Add(Guid.NewGuid(), Campaign.Definition.Graph.Steps.Single(s => s.Name == step), point, [], DateTime.UtcNow, TimeSpan.FromSeconds(seconds), (string?)null);
            provenance.PeakWorkingSet.Append(peak);
        }

        store.CommitTable(store.ProvenanceDirectory, "provenance", provenance.All);
    }

    [Fact]
    public void Array_tasks_ask_for_the_cores_and_memory_the_steps_resources_declare_unless_told()
    {
        // Shift runs on 2 ranks of 2 cores each, 1.5 GiB a rank.
        var wide = new EditedCampaign(Campaign.Definition, s => s.Name == "Shift" ? s with { Resources = new StepResources(2, 2, 1.5) } : s);
        string[] Array(params string[] options)
        {
            var (exit, plan, stderr) = Cli.RunWith(wide, ["submit", "--slurm", "--dry-run", "--store", _store.Root, "--points-per-task", "50", "--time", "1h", .. options]);
            Assert.True(exit == 0, stderr);
            string array = plan[..plan.IndexOf("finish.sh", StringComparison.Ordinal)];
            return [.. array.Split('\n').Where(l => l.StartsWith("#SBATCH --cpus-per-task", StringComparison.Ordinal) || l.StartsWith("#SBATCH --mem", StringComparison.Ordinal)).Distinct()];
        }

        // 4 cores, one Shift at a time: 2 ranks of 1.5 GiB, and the worker's 512 MiB.
        Assert.Equal(["#SBATCH --mem=3584M", "#SBATCH --cpus-per-task=4"], Array());
        // 8 cores run two Shifts at once.
        Assert.Equal(["#SBATCH --mem=6656M", "#SBATCH --cpus-per-task=8"], Array("--cpus-per-task", "8"));
        Assert.Equal(["#SBATCH --mem=1000M", "#SBATCH --cpus-per-task=4"], Array("--mem", "1000M"));
        // The campaign as it is declares nothing: the site's defaults.
        var (exit, plain, _) = Cli.Run("submit", "--slurm", "--dry-run", "--store", _store.Root, "--points-per-task", "50", "--time", "1h");
        Assert.Equal(0, exit);
        Assert.DoesNotContain("#SBATCH --cpus-per-task", plain[..plain.IndexOf("finish.sh", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public void The_finish_job_asks_for_the_arrays_cores_or_those_given_to_run_groups_at_once()
    {
        Plan(out _);
        string Cpus(params string[] options)
        {
            var (exit, plan, stderr) = Cli.Run(["submit", "--slurm", "--dry-run", "--store", _store.Root, "--points-per-task", "50", "--mem", "500M", "--time", "1h", .. options]);
            Assert.True(exit == 0, stderr);
            return plan[plan.IndexOf("finish.sh", StringComparison.Ordinal)..].Split('\n').SingleOrDefault(l => l.StartsWith("#SBATCH --cpus-per-task", StringComparison.Ordinal)) ?? "none";
        }

        Assert.Equal("none", Cpus());
        Assert.Equal("#SBATCH --cpus-per-task=2", Cpus("--cpus-per-task", "2"));
        Assert.Equal("#SBATCH --cpus-per-task=4", Cpus("--cpus-per-task", "2", "--finish-cpus", "4"));
    }

    [Fact]
    public void The_finish_job_asks_for_what_the_global_steps_measured_unless_told()
    {
        CampaignStore store = Plan(out _);
        string[] Finish(params string[] options)
        {
            var (exit, plan, stderr) = Cli.Run(["submit", "--slurm", "--dry-run", "--store", _store.Root, "--points-per-task", "50", "--mem", "500M", "--time", "1h", .. options]);
            Assert.True(exit == 0, stderr);
            return plan[plan.IndexOf("finish.sh", StringComparison.Ordinal)..].Split('\n').Where(l => l.StartsWith("#SBATCH --mem", StringComparison.Ordinal) || l.StartsWith("#SBATCH --time", StringComparison.Ordinal)).ToArray();
        }

        // Nothing measured: the arrays' resources.
        Assert.Equal(["#SBATCH --time=0-01:00:00", "#SBATCH --mem=500M"], Finish());

        // The reduction ran over 100 points, and took up to 10 minutes in a process of 8 GiB at its
        // peak; the campaign now has 200 points: twice the time and half again the memory, for
        // twice the points. The other global steps' milliseconds round it up to the next whole minute.
        var (exit, _, stderr) = Cli.Run("run", "--store", _store.Root);
        Assert.True(exit == ExitCodes.StepsFailed, stderr);
        Measured(store, null, ("Sum", 600, 8L << 30));
        TestSteps.PointCount = 200;
        Assert.Equal(["#SBATCH --time=0-00:41:00", "#SBATCH --mem=24576M"], Finish());

        Assert.Equal(["#SBATCH --time=0-02:00:00", "#SBATCH --mem=8192M"], Finish("--finish-mem", "8G", "--finish-time", "2h"));
        var (bad, _, error) = Cli.Run("submit", "--slurm", "--dry-run", "--store", _store.Root, "--finish-mem", "lots");
        Assert.Equal(ExitCodes.Usage, bad);
        Assert.Contains("option '--finish-mem' takes a size", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_time_limit_given_without_a_task_time_sizes_bundles_to_fit_it()
    {
        CampaignStore store = Plan(out Backlog backlog);
        // One second per step measured, two steps per point.
        Measured(store, backlog.Pending[0].Id.ToGuid(), ("Square", 1, 1 << 20), ("Shift", 1, 1 << 20));

        int PointsPerTask(params string[] options)
        {
            var (exit, plan, stderr) = Cli.Run(["submit", "--slurm", "--dry-run", "--store", _store.Root, .. options]);
            Assert.True(exit == 0, stderr);
            string row = plan.Split('\n').Single(line => line.Contains("pending", StringComparison.Ordinal) && line.TrimStart().StartsWith('0'));
            return int.Parse(row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4], System.Globalization.CultureInfo.InvariantCulture);
        }

        // 20 minutes, less the minute of warning, halved: 570 s of work, 285 points of 2 s.
        Assert.Equal(PointsPerTask("--task-time", "9:30"), PointsPerTask("--time", "20m"));
        Assert.Equal(285, PointsPerTask("--time", "20m"));
        Assert.Equal(900, PointsPerTask());
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
        BundlePoint failed = Assert.Single(planned.Failed[cause]);
        Assert.Equal((backlog.Pending[0].Index, backlog.Pending[0].Id), (failed.Index, failed.Id));

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
        Assert.EndsWith("--step-timeout 90s)", worker.TrimEnd(), StringComparison.Ordinal);
        var (bad, _, error) = Cli.Run("worker", "--store", _store.Root, "--step-timeout", "soon");
        Assert.Equal(ExitCodes.Usage, bad);
        Assert.Contains("option '--step-timeout' takes a duration", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_with_json_prints_one_document_the_plan_as_its_record_would_say_and_the_scripts_of_a_dry_run()
    {
        var (exit, stdout, stderr) = Cli.Run("submit", "--slurm", "--dry-run", "--json", "--store", _store.Root, "--points-per-task", "40", "--mem", "500M");
        Assert.True(exit == ExitCodes.Success, stderr);
        Assert.Single(stdout.TrimEnd().Split('\n'));
        using (JsonDocument plan = JsonDocument.Parse(stdout))
        {
            JsonElement root = plan.RootElement;
            Assert.True(root.GetProperty("dry_run").GetBoolean());
            Assert.Equal((100, 0, 100, 0), (root.GetProperty("points").GetInt32(), root.GetProperty("done").GetInt32(), root.GetProperty("pending").GetInt32(), root.GetProperty("failed").GetInt32()));
            JsonElement array = Assert.Single(root.GetProperty("submission").GetProperty("arrays").EnumerateArray());
            Assert.Equal((100, 3, 40, 500), (array.GetProperty("points").GetInt32(), array.GetProperty("tasks").GetInt32(), array.GetProperty("points_per_task").GetInt32(), array.GetProperty("mem_mb").GetInt32()));
            Assert.Equal(JsonValueKind.Null, array.GetProperty("job").ValueKind);
            string[] scripts = root.GetProperty("scripts").EnumerateObject().Select(s => Path.GetFileName(s.Name)).ToArray();
            Assert.Equal(["array-0.sh", "finish.sh"], scripts);
            Assert.Contains("#SBATCH --array=0-2", root.GetProperty("scripts").EnumerateObject().First().Value.GetString(), StringComparison.Ordinal);
        }

        // Nothing left to submit: the document says so, with no submission.
        Assert.Equal(ExitCodes.StepsFailed, Cli.Run("run", "--store", _store.Root).Exit);
        var (again, nothing, _) = Cli.Run("submit", "--slurm", "--json", "--store", _store.Root);
        Assert.Equal(ExitCodes.Success, again);
        using JsonDocument none = JsonDocument.Parse(nothing);
        Assert.Equal(JsonValueKind.Null, none.RootElement.GetProperty("submission").ValueKind);
        Assert.Equal(TestSteps.PointCount / 10, none.RootElement.GetProperty("failed").GetInt32());
        Assert.StartsWith("nothing to submit", none.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
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
        // The warning goes to the batch shell, which passes it on to the worker, its child (BatchShellWatchTests).
        Assert.Single(lines, line => line.StartsWith("worker=(", StringComparison.Ordinal) && line.Contains(" worker --store ", StringComparison.Ordinal));
        Assert.Single(lines, line => line.StartsWith("for s in USR1 ", StringComparison.Ordinal) && line.Contains("trap ", StringComparison.Ordinal));
    }
}
