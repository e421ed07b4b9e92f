using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>
/// Campaigns submitted to the real one-node Slurm cluster that scripts/slurm-local starts (the
/// README's test command starts it): job arrays, the finish job, a task killed for its memory and
/// its retry with more, a cancelled submission finished by submitting again, a refused sbatch.
/// </summary>
[Collection("builds")]
public sealed class SlurmTests(SlurmHosts hosts) : IClassFixture<SlurmHosts>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private string Build(string project)
    {
        var sinfo = Shell.Run("sinfo", Shell.RepositoryRoot, "-h", "-o", "%t");
        Assert.True(sinfo.Exit == 0 && sinfo.Out.Trim().Length > 0, "no Slurm cluster answers: start one with scripts/slurm-local (the README's test command does). " + sinfo.Err);
        return hosts.Build(project);
    }

    private static (int Exit, string Out, string Err) Host(string host, params string[] args) => HostWith([], host, args);

    /// <summary>Runs the host with the node cache beside the build; sbatch passes the environment on to the tasks.</summary>
    private static (int Exit, string Out, string Err) HostWith((string, string)[] environment, string host, params string[] args) =>
        Shell.RunWith([("CAIRN_NODE_CACHE", SlurmHosts.NodeCache(host)), .. environment], "dotnet", Path.GetDirectoryName(host)!, [host, .. args]);

    /// <summary>
    /// Polls <c>status --json</c> until no task of the store's submissions is queued; returns the last status. Status covers the points [Points] yields now:
    /// for Ballast, whose points depend on BALLAST_SECONDS, in the same environment as the submission.
    /// </summary>
    private static JsonElement WaitForJobs(string host, string store, params (string, string)[] environment)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var status = HostWith(environment, host, "status", "--store", store, "--json");
            Assert.True(status.Exit == 0, status.Err);
            JsonElement root = JsonDocument.Parse(status.Out).RootElement.Clone();
            if (root.GetProperty("jobs").GetArrayLength() == 0)
            {
                return root;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the submission did not finish within {Patience}: {status.Out}");
            Thread.Sleep(1000);
        }
    }

    private static long Count(JsonElement status, string step, string what) =>
        status.GetProperty("steps").GetProperty(step).GetProperty(what).GetInt64();

    /// <summary>The log of task <paramref name="task"/> of a finished submission's first array: its part of the file the finish job folded the logs into.</summary>
    private static string TaskLog(string store, int number, int task)
    {
        string job = Submission(store, number).GetProperty("arrays")[0].GetProperty("job").GetString()!;
        string[] lines = File.ReadAllLines(Path.Combine(store, "slurm", number.ToString(System.Globalization.CultureInfo.InvariantCulture), "tasks.log"));
        int header = Array.IndexOf(lines, $"==> {job}_{task}.log <==");
        Assert.True(header >= 0, $"tasks.log holds no log of task {task} of job {job}");
        return string.Join('\n', lines.Skip(header + 1).TakeWhile(l => !l.StartsWith("==> ", StringComparison.Ordinal)));
    }

    private static JsonElement Submission(string store, int number) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(store, "slurm", number.ToString(System.Globalization.CultureInfo.InvariantCulture), "submission.json"))).RootElement.Clone();

    [Fact]
    public void Hubbard_on_slurm_gives_the_results_of_a_local_run_with_the_host_read_once_per_node()
    {
        string host = Build("samples/Hubbard");
        // A space and a '%' in the store path: the scripts quote every path, and double a '%' where Slurm reads patterns.
        string store = Path.Combine(hosts.Store("store"), "my store 100%a");
        string local = hosts.Store("local");
        Assert.Equal(0, Host(host, "run", "--store", local).Exit);

        var submit = Host(host, "submit", "--slurm", "--store", store, "--points-per-task", "25", "--throttle", "2", "--mem", "1G", "--finish-cpus", "2");
        Assert.True(submit.Exit == 0, submit.Err);
        JsonElement submission = Submission(store, 1);
        JsonElement array = Assert.Single(submission.GetProperty("arrays").EnumerateArray());
        Assert.Equal(4, array.GetProperty("tasks").GetInt32());
        Assert.Equal(1024, array.GetProperty("mem_mb").GetInt64());
        string script = File.ReadAllText(Path.Combine(store, "slurm", "1", "array-0.sh"));
        Assert.Contains("#SBATCH --array=0-3%2", script, StringComparison.Ordinal);

        // --watch reports until no task is left: progress while the arrays run, all done at the end.
        var watch = Host(host, "status", "--store", store, "--watch", "--interval", "1");
        Assert.True(watch.Exit == 0, watch.Err);
        Assert.Contains("Slurm: submission 1 has", watch.Out, StringComparison.Ordinal);
        string last = watch.Out[watch.Out.LastIndexOf("campaign Hubbard", StringComparison.Ordinal)..];
        Assert.Matches(@"Measure\s+obs\s+99\s+0\s+0\s+0", last);
        Assert.DoesNotContain("Slurm:", last, StringComparison.Ordinal);

        JsonElement status = WaitForJobs(host, store);
        Assert.Equal(99, Count(status, "Measure", "done"));
        Assert.Equal(3, Count(status, "Curve", "done"));
        Assert.Equal(1, Count(status, "Extrapolate", "done"));
        Assert.Equal(0, status.GetProperty("failures").GetArrayLength());

        // The report lists the submission: its array's job with its four tasks, ended as Slurm tells it;
        // --watch, with no task queued and no run, writes the page once and ends.
        var report = Host(host, "report", "--store", store, "--watch", "--interval", "1");
        Assert.True(report.Exit == 0, report.Err);
        string submissions = Regex.Match(File.ReadAllText(Path.Combine(store, "report.html")), "<table id=\"submissions\">.*?</table>", RegexOptions.Singleline).Value;
        Assert.Contains($"<td class=\"text\">{array.GetProperty("job").GetString()}</td><td>99</td><td>4</td><td class=\"text\">4 COMPLETED</td>", submissions, StringComparison.Ordinal);

        // Same values as the local run, point by point or group by group (rows come in the order of the shards).
        SortedDictionary<string, string> Rows(string s, string product)
        {
            using JsonDocument rows = JsonDocument.Parse(Host(host, "results", product, "--store", s, "--format", "json").Out);
            return new(rows.RootElement.EnumerateArray().ToDictionary(
                r => r.TryGetProperty("point_id", out JsonElement id) ? id.GetString()! : r.TryGetProperty("Size", out JsonElement size) ? size.GetRawText() : "",
                r => r.GetRawText()), StringComparer.Ordinal);
        }

        Assert.Equal(99, Rows(store, "obs").Count);
        Assert.Equal(Rows(local, "obs"), Rows(store, "obs"));
        Assert.Equal(3, Rows(store, "curves").Count);
        Assert.Equal(Rows(local, "curves"), Rows(store, "curves"));
        Assert.Equal(Rows(local, "limit"), Rows(store, "limit"));

        // The host was published into the store once and copied to the node once; tasks ran the copy.
        string image = Assert.Single(Directory.GetDirectories(Path.Combine(store, "slurm", "host")));
        Assert.True(File.Exists(Path.Combine(image, "Hubbard.dll")));
        string node = Path.Combine(SlurmHosts.NodeCache(host), "cairn-host-" + Path.GetFileName(image));
        Assert.True(File.Exists(Path.Combine(node, ".complete")), "no task copied the host to the node's cache");
        Assert.Contains("worker=(/", script, StringComparison.Ordinal);
        Assert.Contains("\"$node\"/Hubbard.dll worker", script, StringComparison.Ordinal);
        // The finish job folded the four task logs into one file: files do not grow with tasks.
        string[] logs = Directory.GetFiles(Path.Combine(store, "slurm", "1", "logs"));
        Assert.Equal(["finish_"], logs.Select(f => Path.GetFileName(f)[..7]));
        // It asked for two cores and ran the three chain lengths' curves on them.
        Assert.Contains("#SBATCH --cpus-per-task=2", File.ReadAllText(Path.Combine(store, "slurm", "1", "finish.sh")), StringComparison.Ordinal);
        string finishLog = File.ReadAllText(logs[0]);
        Assert.Contains("the global steps run on 2 worker(s)", finishLog, StringComparison.Ordinal);
        Assert.Contains("Curve: 3 computed", finishLog, StringComparison.Ordinal);
        Assert.All(Enumerable.Range(0, 4), task => Assert.Contains("points; Solve", TaskLog(store, 1, task), StringComparison.Ordinal));

        // A task that runs again (requeued) finds its points stored: nothing computed, nothing doubled.
        string job = array.GetProperty("job").GetString()!;
        string log0 = Path.Combine(store, "slurm", "1", "logs", job + "_0.log");
        Assert.Contains("Solve 25 computed", TaskLog(store, 1, 0), StringComparison.Ordinal);
        Assert.Equal(0, Shell.Run("scontrol", store, "requeue", job + "_0").Exit);
        // A requeued job waits 2 minutes before it may start again, unless told otherwise.
        Assert.Equal(0, Shell.Run("scontrol", store, "update", "jobid=" + job + "_0", "starttime=now").Exit);
        WaitForJobs(host, store);
        Assert.Contains("Solve 0 computed, 25 cached", File.ReadAllText(log0), StringComparison.Ordinal);
        using (JsonDocument all = JsonDocument.Parse(Host(host, "results", "obs", "--store", store, "--format", "json", "--all-versions").Out))
        {
            Assert.Equal(99, all.RootElement.GetArrayLength());
        }

        // Submitting again finds nothing to do.
        var again = Host(host, "submit", "--slurm", "--store", store);
        Assert.True(again.Exit == 0, again.Err);
        Assert.Contains("nothing to submit", again.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(store, "slurm", "2")));
    }

    [Fact]
    public void A_task_killed_for_its_memory_is_recorded_as_OUT_OF_MEMORY_and_retry_gives_it_more()
    {
        string host = Build("tests/Campaigns/Ballast");
        string store = hosts.Store("store");

        // Two tasks of four points; the second holds the 700 MiB point, over its 500 MiB.
        var submit = Host(host, "submit", "--slurm", "--store", store, "--points-per-task", "4", "--mem", "500M");
        Assert.True(submit.Exit == 0, submit.Err);
        JsonElement status = WaitForJobs(host, store);
        Assert.Equal(4, Count(status, "Hold", "done"));
        Assert.Equal(4, Count(status, "Hold", "failed"));
        Assert.Equal(4, status.GetProperty("failure_causes").GetProperty("OUT_OF_MEMORY").GetInt32());
        Assert.All(status.GetProperty("failures").EnumerateArray(), f =>
        {
            Assert.Equal("OUT_OF_MEMORY", f.GetProperty("error_type").GetString());
            Assert.Contains("exceeded memory limit", f.GetProperty("message").GetString(), StringComparison.Ordinal);
        });
        var text = Host(host, "status", "--store", store);
        Assert.Contains("4 open failure(s) by cause: OUT_OF_MEMORY 4", text.Out, StringComparison.Ordinal);

        // 'submit' leaves failed points to 'retry'; retry doubles the memory of the killed points only.
        var submitAgain = Host(host, "submit", "--slurm", "--store", store);
        Assert.Contains("nothing to submit", submitAgain.Out, StringComparison.Ordinal);
        var retry = Host(host, "retry", "--slurm", "--store", store, "--points-per-task", "4", "--json");
        Assert.True(retry.Exit == 0, retry.Err);
        JsonElement array = Assert.Single(Submission(store, 2).GetProperty("arrays").EnumerateArray());
        // With --json, retry prints the submission as its record says, job ids and all.
        using (JsonDocument printed = JsonDocument.Parse(retry.Out))
        {
            Assert.Equal("OUT_OF_MEMORY", printed.RootElement.GetProperty("submission").GetProperty("arrays")[0].GetProperty("cause").GetString());
            Assert.Equal(array.GetProperty("job").GetString(), printed.RootElement.GetProperty("submission").GetProperty("arrays")[0].GetProperty("job").GetString());
            Assert.Equal(Submission(store, 2).GetProperty("finish_job").GetString(), printed.RootElement.GetProperty("submission").GetProperty("finish_job").GetString());
        }

        Assert.Equal("OUT_OF_MEMORY", array.GetProperty("cause").GetString());
        Assert.Equal(4, array.GetProperty("points").GetInt64());
        Assert.Equal(1000, array.GetProperty("mem_mb").GetInt64());
        Assert.Contains("#SBATCH --mem=1000M", File.ReadAllText(Path.Combine(store, "slurm", "2", "array-0.sh")), StringComparison.Ordinal);

        status = WaitForJobs(host, store);
        Assert.Equal(8, Count(status, "Hold", "done"));
        Assert.Equal(0, status.GetProperty("failures").GetArrayLength());

        // Every point once, the big one with its 700 MiB; the reduction over all eight.
        using JsonDocument held = JsonDocument.Parse(Host(host, "results", "held", "--store", store, "--format", "json", "--all-versions").Out);
        Assert.Equal(8, held.RootElement.GetArrayLength());
        Assert.Equal(1, held.RootElement.EnumerateArray().Count(r => r.GetProperty("Megabytes").GetInt32() == 700));
        long expected = held.RootElement.EnumerateArray().Sum(r => r.GetProperty("Checksum").GetInt64());
        using JsonDocument total = JsonDocument.Parse(Host(host, "results", "total", "--store", store, "--format", "json").Out);
        Assert.Equal(8, total.RootElement[0].GetProperty("Count").GetInt32());
        Assert.Equal(expected, total.RootElement[0].GetProperty("Checksum").GetInt64());
    }

    [Fact]
    public void Points_that_ran_out_of_memory_are_retried_one_at_a_time_in_their_bundles_and_one_retry_finishes_them()
    {
        string host = Build("tests/Campaigns/Ballast");
        string store = hosts.Store("store");
        (string, string)[] many = [("BALLAST_POINTS", "200")];

        // 20 tasks of 10 points at 400 MiB: the 4 tasks that hold a 700 MiB point die.
        var submit = HostWith(many, host, "submit", "--slurm", "--store", store, "--points-per-task", "10", "--mem", "400M");
        Assert.True(submit.Exit == 0, submit.Err);
        JsonElement status = WaitForJobs(host, store, many);
        Assert.Equal(40, status.GetProperty("failure_causes").GetProperty("OUT_OF_MEMORY").GetInt32());
        Assert.Equal(160, Count(status, "Hold", "done"));

        // Their retry keeps the bundles of 10 and runs their points one at a time: more memory for
        // a task that ran two big points side by side would not be enough.
        var retry = HostWith(many, host, "retry", "--slurm", "--store", store, "--mem-factor", "3");
        Assert.True(retry.Exit == 0, retry.Err);
        Assert.Contains("(one point at a time)", retry.Out, StringComparison.Ordinal);
        JsonElement array = Assert.Single(Submission(store, 2).GetProperty("arrays").EnumerateArray());
        Assert.Equal(("OUT_OF_MEMORY", 40L, 4, 10, 1200L, 1),
            (array.GetProperty("cause").GetString(), array.GetProperty("points").GetInt64(), array.GetProperty("tasks").GetInt32(),
             array.GetProperty("points_per_task").GetInt32(), array.GetProperty("mem_mb").GetInt64(), array.GetProperty("points_at_once").GetInt32()));
        Assert.Contains("--points-at-once 1", File.ReadAllText(Path.Combine(store, "slurm", "2", "array-0.sh")), StringComparison.Ordinal);

        status = WaitForJobs(host, store, many);
        Assert.Equal(200, Count(status, "Hold", "done"));
        Assert.Equal(0, status.GetProperty("failures").GetArrayLength());
        using JsonDocument held = JsonDocument.Parse(HostWith(many, host, "results", "held", "--store", store, "--format", "json").Out);
        Assert.Equal(4, held.RootElement.EnumerateArray().Count(r => r.GetProperty("Megabytes").GetInt32() == 700));
    }

    [Fact]
    public void A_point_that_ends_a_tasks_process_costs_that_point_only_and_retry_computes_it()
    {
        string host = Build("tests/Campaigns/Ballast");
        string store = hosts.Store("store");

        // Point 2 aborts the process: the task's supervisor records it and a new child does 3 and 0-1 as planned.
        (string, string)[] abort = [("BALLAST_ABORT", "2")];
        var submit = HostWith(abort, host, "submit", "--slurm", "--store", store, "--points-per-task", "4", "--mem", "1G");
        Assert.True(submit.Exit == 0, submit.Err);
        JsonElement status = WaitForJobs(host, store, abort);
        Assert.Equal(7, Count(status, "Hold", "done"));
        JsonElement failure = Assert.Single(status.GetProperty("failures").EnumerateArray());
        Assert.Equal("CRASHED", failure.GetProperty("error_type").GetString());
        Assert.Contains("signal 6, SIGABRT", failure.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("recorded as failed (CRASHED); going on with the other points", TaskLog(store, 1, 0), StringComparison.Ordinal);

        // The step is fixed (no abort): retry runs the crashed point, which a bundle does not leave out.
        var retry = Host(host, "retry", "--slurm", "--store", store, "--points-per-task", "4", "--mem", "1G");
        Assert.True(retry.Exit == 0, retry.Err);
        Assert.Equal(1, Assert.Single(Submission(store, 2).GetProperty("arrays").EnumerateArray()).GetProperty("points").GetInt64());
        status = WaitForJobs(host, store);
        Assert.Equal(8, Count(status, "Hold", "done"));
        Assert.Equal(0, status.GetProperty("failures").GetArrayLength());
    }

    [Fact]
    public void A_task_warned_with_SIGUSR1_before_its_time_limit_commits_what_it_finished_and_the_rest_is_TIMEOUT()
    {
        string host = Build("tests/Campaigns/Ballast");
        string store = hosts.Store("store");
        // Point 5 takes 110 s; tasks of 10 minutes ask Slurm for SIGUSR1 a minute before their limit.
        (string, string)[] slow = [("BALLAST_SECONDS", "110")];
        var submit = HostWith(slow, host, "submit", "--slurm", "--store", store, "--points-per-task", "4", "--time", "10");
        Assert.True(submit.Exit == 0, submit.Err);
        Assert.Contains("#SBATCH --signal=B:USR1@60", File.ReadAllText(Path.Combine(store, "slurm", "1", "array-0.sh")), StringComparison.Ordinal);

        // Rather than wait ten minutes, send the warning as Slurm would once task 1 is in point 5:
        // task 0's four points are stored, and task 1's point 4 takes no time.
        DateTime deadline = DateTime.UtcNow + Patience;
        while (Count(JsonDocument.Parse(HostWith(slow, host, "status", "--store", store, "--json").Out).RootElement, "Hold", "done") < 4)
        {
            Assert.True(DateTime.UtcNow < deadline, "task 0 did not finish in time");
            Thread.Sleep(500);
        }

        Thread.Sleep(3000);
        string job = Submission(store, 1).GetProperty("arrays")[0].GetProperty("job").GetString()!;
        var warn = Shell.Run("scancel", store, "--batch", "--signal=USR1", job + "_1");
        Assert.True(warn.Exit == 0, warn.Err);

        JsonElement status = WaitForJobs(host, store, slow);
        Assert.Equal(5, Count(status, "Hold", "done"));
        Assert.Equal(3, status.GetProperty("failure_causes").GetProperty("TIMEOUT").GetInt32());
        string log = TaskLog(store, 1, 1);
        Assert.Contains("SIGUSR1 (the time limit is near): stopping", log, StringComparison.Ordinal);
        Assert.Contains("Hold 1 computed", log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_over_its_time_limit_is_recorded_as_TIMEOUT_and_retry_gives_it_more_time()
    {
        string host = Build("tests/Campaigns/Ballast");
        string store = hosts.Store("store");
        // Point 5 takes 110 s. Slurm limits are whole minutes, checked every 30 s: the task with 1 minute dies by 95 s, one with 2 minutes lives past 120 s.
        (string, string)[] slow = [("BALLAST_SECONDS", "110")];
        var submit = HostWith(slow, host, "submit", "--slurm", "--store", store, "--points-per-task", "4", "--time", "1");
        Assert.True(submit.Exit == 0, submit.Err);
        JsonElement status = WaitForJobs(host, store, slow);
        // Slurm ends the slow task with SIGTERM: it keeps what it finished (point 4, before the slow
        // one) and exits 143; the points it had not finished are recorded as TIMEOUT.
        Assert.Equal(5, Count(status, "Hold", "done"));
        Assert.Equal(3, status.GetProperty("failure_causes").GetProperty("TIMEOUT").GetInt32());
        Assert.Contains("TIME LIMIT", status.GetProperty("failures")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        string log = TaskLog(store, 1, 1);
        Assert.Contains("SIGTERM: stopping", log, StringComparison.Ordinal);
        Assert.Contains("Hold 1 computed", log, StringComparison.Ordinal);

        var retry = HostWith(slow, host, "retry", "--slurm", "--store", store, "--points-per-task", "4", "--time-factor", "2");
        Assert.True(retry.Exit == 0, retry.Err);
        JsonElement array = Assert.Single(Submission(store, 2).GetProperty("arrays").EnumerateArray());
        Assert.Equal("TIMEOUT", array.GetProperty("cause").GetString());
        Assert.Equal(3, array.GetProperty("points").GetInt64());
        Assert.Equal(120, array.GetProperty("time_seconds").GetInt64());
        status = WaitForJobs(host, store, slow);
        Assert.Equal(8, Count(status, "Hold", "done"));
        Assert.Equal(0, status.GetProperty("failures").GetArrayLength());
    }

    [Fact]
    public void A_cancelled_submission_loses_only_its_uncommitted_bundles_and_submitting_again_finishes_without_doubles()
    {
        string host = Build("samples/Hubbard");
        string store = hosts.Store("store");

        // One task at a time, so that the submission is cancelled with tasks done and tasks queued.
        var submit = Host(host, "submit", "--slurm", "--store", store, "--points-per-task", "10", "--throttle", "1", "--mem", "1G");
        Assert.True(submit.Exit == 0, submit.Err);
        string[] jobs = [Submission(store, 1).GetProperty("arrays")[0].GetProperty("job").GetString()!, Submission(store, 1).GetProperty("finish_job").GetString()!];

        // While it runs, a second submission is refused: it would run the same points twice.
        var twice = Host(host, "submit", "--slurm", "--store", store);
        Assert.Equal(7, twice.Exit);
        Assert.Matches($@"submission 1 \(jobs {jobs[0]} {jobs[1]}\) still has \d+ task\(s\) queued or running; wait for it \('status --watch'\) or cancel it \(scancel {jobs[0]} {jobs[1]}\)", twice.Err);
        // Status says why tasks wait: the finish job for the array, as squeue tells it.
        var waiting = Host(host, "status", "--store", store);
        Assert.Matches(@"Slurm: submission 1 has .*1 pending \(Dependency\)", waiting.Out);
        using (JsonDocument json = JsonDocument.Parse(Host(host, "status", "--store", store, "--json").Out))
        {
            JsonElement finishTask = Assert.Single(json.RootElement.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("task").GetString() == jobs[1]);
            Assert.Equal("Dependency", finishTask.GetProperty("reason").GetString());
        }

        DateTime deadline = DateTime.UtcNow + Patience;
        long done = 0;
        while (done == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no task committed results in time");
            Thread.Sleep(500);
            using JsonDocument status = JsonDocument.Parse(Host(host, "status", "--store", store, "--json").Out);
            done = status.RootElement.GetProperty("steps").GetProperty("Measure").GetProperty("done").GetInt64();
        }

        Assert.Equal(0, Shell.Run("scancel", store, jobs).Exit);
        JsonElement cancelled = WaitForJobs(host, store);
        long doneBefore = Count(cancelled, "Measure", "done");
        Assert.InRange(doneBefore, 10, 98);
        // Cancelled points are neither failed nor lost: they are pending.
        Assert.Equal(99 - doneBefore, Count(cancelled, "Measure", "pending"));

        // The rest, in arrays of at most two tasks (a site's MaxArraySize), one finish job after all of them.
        var resume = Host(host, "submit", "--slurm", "--store", store, "--points-per-task", "20", "--max-array", "2", "--mem", "1G");
        Assert.True(resume.Exit == 0, resume.Err);
        JsonElement[] arrays = Submission(store, 2).GetProperty("arrays").EnumerateArray().ToArray();
        Assert.Equal(99 - doneBefore, arrays.Sum(a => a.GetProperty("points").GetInt64()));
        Assert.Equal((int)Math.Ceiling((99 - doneBefore) / 40.0), arrays.Length);
        Assert.All(arrays, a => Assert.InRange(a.GetProperty("tasks").GetInt32(), 1, 2));
        JsonElement finished = WaitForJobs(host, store);
        Assert.Equal(99, Count(finished, "Measure", "done"));
        Assert.Equal(1, Count(finished, "Extrapolate", "done"));

        // Keys decide: every point has one stored result of each product, none doubled.
        foreach (string product in new[] { "psi", "obs" })
        {
            using JsonDocument all = JsonDocument.Parse(Host(host, "results", product, "--store", store, "--format", "json", "--all-versions").Out);
            List<string> ids = all.RootElement.EnumerateArray().Select(r => r.GetProperty("point_id").GetString()!).ToList();
            Assert.Equal(99, ids.Count);
            Assert.Equal(99, ids.Distinct().Count());
        }
    }

    [Fact]
    public void Starting_the_local_cluster_again_leaves_its_running_daemons_alone_and_returns_a_drained_node_to_service()
    {
        // Restarting daemons under running jobs (another test run's, a user's) can leave a finished job
        // counted as running for half an hour; the script waits for running daemons and restarts none.
        string root = Shell.RepositoryRoot;
        string Daemons() => Shell.Run("pgrep", root, "-r", "R,S,D", "-x", "slurmctld|slurmd").Out.Trim();
        string State() => Shell.Run("sinfo", root, "-h", "-o", "%t").Out.Trim();
        string before = Daemons();
        Assert.Equal(2, before.Split('\n').Length);
        string node = Shell.Run("sinfo", root, "-h", "-o", "%n").Out.Trim();
        Assert.Equal(0, Shell.Run("scontrol", root, "update", "nodename=" + node, "state=drain", "reason=cairn-test").Exit);
        try
        {
            Assert.Matches("^(drain|drng)", State());
            var again = Shell.Run(Path.Combine(root, "scripts", "slurm-local"), root);
            Assert.True(again.Exit == 0, again.Err);
            Assert.Equal(before, Daemons());
            Assert.Matches("^(idle|mix|alloc)", State());
        }
        finally
        {
            _ = Shell.Run("scontrol", root, "update", "nodename=" + node, "state=resume");
        }
    }

    [Fact]
    public void A_refused_sbatch_shows_the_schedulers_message_and_records_nothing_and_a_dry_run_writes_nothing()
    {
        string host = Build("samples/Hubbard");
        string store = Path.Combine(hosts.Store("store"), "campaign");

        var dry = Host(host, "submit", "--slurm", "--store", store, "--points-per-task", "50", "--throttle", "3", "--partition", "debug", "--time", "90m", "--dry-run");
        Assert.True(dry.Exit == 0, dry.Err);
        Assert.Contains("#SBATCH --array=0-1%3", dry.Out, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --partition=debug", dry.Out, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --time=0-01:30:00", dry.Out, StringComparison.Ordinal);
        Assert.Contains("worker --store " + store, dry.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(store), "a dry run made the store");

        var refused = Host(host, "submit", "--slurm", "--store", store, "--points-per-task", "50", "--partition", "nosuch");
        Assert.Equal(7, refused.Exit);
        string line = Assert.Single(refused.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Invalid partition name specified", line, StringComparison.Ordinal);
        Assert.Contains("--partition", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.Combine(store, "slurm"), "1"));
        var status = Host(host, "status", "--store", store, "--json");
        Assert.Equal(99, Count(JsonDocument.Parse(status.Out).RootElement, "Measure", "pending"));

        // With --task-time and no measured durations, a local pilot measures them first; its results are kept.
        var sized = Host(host, "submit", "--slurm", "--store", store, "--task-time", "20s");
        Assert.True(sized.Exit == 0, sized.Err);
        Assert.Contains($"running {4 * Environment.ProcessorCount} points here", sized.Out, StringComparison.Ordinal);
        JsonElement array = Assert.Single(Submission(store, 1).GetProperty("arrays").EnumerateArray());
        Assert.Equal(99 - (4 * Environment.ProcessorCount), array.GetProperty("points").GetInt64());
        // Hubbard's points take milliseconds: 20 s holds many, and the time limit is twice the task time.
        Assert.True(array.GetProperty("points_per_task").GetInt32() > 10, array.GetRawText());
        Assert.Equal(40, array.GetProperty("time_seconds").GetInt64());
        Assert.Equal(99, Count(WaitForJobs(host, store), "Measure", "done"));

        // Off the cluster (no Slurm commands): status still reports the store, submit says what is missing.
        (string, string)[] noSlurm = [("PATH", "/nonexistent")];
        var offline = HostWith(noSlurm, host, "status", "--store", store);
        Assert.True(offline.Exit == 0, offline.Err);
        Assert.Contains("warning: the store's Slurm jobs are not shown: 'squeue' is not on the PATH", offline.Err, StringComparison.Ordinal);
        Assert.Matches(@"Measure\s+obs\s+99", offline.Out);
        var noSbatch = HostWith(noSlurm, host, "retry", "--slurm", "--store", store);
        Assert.Equal(7, noSbatch.Exit);
        Assert.Contains("'squeue' is not on the PATH: submit from a Slurm login node", noSbatch.Err, StringComparison.Ordinal);
    }
}
