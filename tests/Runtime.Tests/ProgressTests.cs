using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cairn.Cli;
using Cairn.Execution;
using Cairn.Scheduling;
using Cairn.Storage;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>Progress while a run works: the words, the live terminal lines, the plain log lines, --quiet.</summary>
[Collection("campaign")]
public sealed class ProgressTests : IDisposable
{
    private readonly TempStore _store = new();

    public ProgressTests()
    {
        TestSteps.PointCount = 100;
        TestSteps.ResetCalls();
    }

    public void Dispose()
    {
        TestSteps.Release();
        _store.Dispose();
    }

    private static ProgressSample Sample(double seconds, long? points, params (long Computed, long Cached, long Failed, long Skipped)[] steps) =>
        new(TimeSpan.FromSeconds(seconds), points, steps.Select((s, i) => new StepProgress(i == 0 ? "Solve" : "Measure", s.Computed, s.Cached, s.Failed, s.Skipped)).ToArray());

    [Fact]
    public void Each_step_shows_done_of_total_the_rate_of_the_last_half_minute_failures_and_the_time_left()
    {
        var lines = new ProgressLines();
        Assert.Equal(["Solve   100/1000 (10%), 10/s, about 1m30s left", "Measure 0/1000 (0%), 0/s"], lines.Steps(Sample(10, 1000, (100, 0, 0, 0), (0, 0, 0, 0))));

        // 20 s later: Solve handled 400 more (20/s), 2 of them failed, which Measure skips.
        Assert.Equal(
            ["Solve   500/1000 (50%), 20/s, 2 failed, about 25s left", "Measure 298/1000 (30%), 15/s, 0 failed, 2 skipped, about 47s left"],
            lines.Steps(Sample(30, 1000, (498, 0, 2, 0), (296, 0, 0, 2))));

        // The rate forgets what is older than the window: at 80 s, 500 more since 30 s is 10/s, not 1000/70 since 10 s.
        Assert.StartsWith("Solve   1000/1000 (100%), 10/s, 2 failed", lines.Steps(Sample(80, 1000, (998, 0, 2, 0), (900, 0, 0, 2)))[0], StringComparison.Ordinal);

        // Before the points are counted: no total, no time left.
        Assert.Equal("progress after 2m05s: Solve   7, 0/s; Measure 0, 0/s", new ProgressLines().Plain(Sample(125, null, (7, 0, 0, 0), (0, 0, 0, 0))));
    }

    [Fact]
    public void A_terminal_draws_the_lines_again_in_place_puts_warnings_above_them_and_takes_them_away_at_the_end()
    {
        var errors = new StringWriter();
        var terminal = new TerminalProgress(errors, () => 30);
        terminal.Show(Sample(1, 1000, (10, 0, 0, 0), (0, 0, 0, 0)));
        Assert.Equal("Solve   10/1000 (1%), 10/s, a\nMeasure 0/1000 (0%), 0/s\n", errors.ToString());

        // Up two lines and clear, then the warning, then the lines again.
        errors.GetStringBuilder().Clear();
        terminal.Warn("warning: something");
        Assert.Equal("\u001b[2F\u001b[Jwarning: something\nSolve   10/1000 (1%), 10/s, a\nMeasure 0/1000 (0%), 0/s\n", errors.ToString().Replace("\r", "", StringComparison.Ordinal));

        // After the per-point steps, a line for what the run does next, replaced by the next one.
        errors.GetStringBuilder().Clear();
        terminal.Phase("Sum: over the results of all points...");
        terminal.Phase("compacting the store...");
        Assert.Equal("\u001b[2F\u001b[JSum: over the results of all \n\u001b[1F\u001b[Jcompacting the store...\n", errors.ToString());

        errors.GetStringBuilder().Clear();
        terminal.End();
        terminal.End();
        Assert.Equal("\u001b[1F\u001b[J", errors.ToString());
    }

    [Fact]
    public void A_run_whose_stderr_is_not_a_terminal_writes_a_plain_line_every_interval_and_none_with_quiet()
    {
        // Point 42 hangs until its 2 s time limit: the run lasts long enough for a line a second.
        TestSteps.Hang(42);
        var (exit, stdout, stderr) = Cli.Run("run", "--store", _store.Root, "--json", "--workers", "2", "--step-timeout", "2s", "--progress-interval", "1s");
        Assert.True(exit == ExitCodes.StepsFailed, stderr);
        using (JsonDocument.Parse(stdout))
        {
        }

        // [Points] gives 103 points, 3 of them twice: 100 once the workers have met the 3 again.
        var line = new Regex(@"^progress after (?<s>\d+)s: Square +(?<square>\d+)/(?<total>10[0-3]) \(\d+%\), \d+/s(, (?<failed>\d+) failed)?(, about \S+ left)?; Shift +(?<shift>\d+)/10[0-3] \(\d+%\), \d+/s(, \d+ failed, (?<skipped>\d+) skipped)?(, about \S+ left)?$");
        List<Match> progress = stderr.Split('\n').Where(l => l.StartsWith("progress", StringComparison.Ordinal)).Select(l => line.Match(l)).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, m => Assert.True(m.Success, "not a progress line as it should be: " + m.Value));
        static int Square(Match m) => int.Parse(m.Groups["square"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(progress, m => Assert.InRange(Square(m), 0, 100));
        // While point 42 hangs, Square has done at most 99, and failed for at most the 10 indices
        // ending in 7 of the first 100 (on a busy machine the 1 s line may come before the helper
        // has run the rest of the hung point's chunk); a line while the global steps run after it
        // may say 100 and 11.
        static int Failed(Match m) => m.Groups["failed"].Success ? int.Parse(m.Groups["failed"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        Assert.Contains(progress, m => Square(m) <= 99 && Failed(m) <= 10);
        Assert.Equal("100", progress[^1].Groups["total"].Value);
        Assert.DoesNotContain('\u001b', stderr);

        // The same run, as long, with --quiet.
        TestSteps.Release();
        TestSteps.Hang(42);
        using var again = new TempStore();
        var (quietExit, _, quiet) = Cli.Run("run", "--store", again.Root, "--workers", "2", "--step-timeout", "2s", "--progress-interval", "1s", "--quiet");
        Assert.Equal(ExitCodes.StepsFailed, quietExit);
        Assert.DoesNotContain("progress", quiet, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Slurm_worker_logs_the_plain_lines_with_its_bundle_as_the_total()
    {
        CampaignStore store = CampaignStore.Open(_store.Root, Campaign.Definition.Graph.Name, create: true);
        Backlog backlog = Backlog.Plan(Campaign.Definition, store, storeNewPoints: true);
        string directory = Submission.DirectoryOf(store, 1);
        Directory.CreateDirectory(directory);
        BundleFile.Write(Submission.BundlePath(directory, 0), backlog.Pending, 60);

        // Task 0 holds points 0-59, and point 42 hangs until its 2 s time limit.
        TestSteps.Hang(42);
        var (exit, stdout, stderr) = Cli.Run("worker", "--store", _store.Root, "--submission", "1", "--array", "0", "--task", "0", "--workers", "2", "--step-timeout", "2s", "--progress-interval", "1s");
        Assert.True(exit == 0, stderr);
        Assert.Contains("task 0 of array 0, submission 1: 60 points", stdout, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"(?m)^progress after \d+s: Square +\d+/60 \(\d+%\)"), stderr);
    }
}
