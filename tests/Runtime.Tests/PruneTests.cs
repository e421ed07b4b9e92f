using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Cairn.Hosting;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary><c>prune</c> removes history and nothing else: all of it, rows made before a date, or all but the newest versions.</summary>
[Collection("campaign")]
public sealed class PruneTests : IDisposable
{
    private readonly TempStore _store = new();

    public PruneTests() => TestSteps.PointCount = 100;

    public void Dispose()
    {
        TestSteps.PointCount = 100;
        _store.Dispose();
    }

    private (int Exit, string Out, string Err) Host(CampaignDefinition<TestPoint> definition, params string[] args) =>
        Cli.RunWith(definition, [.. args, "--store", _store.Root]);

    private long Computed(CampaignDefinition<TestPoint> definition, string step)
    {
        var (exit, stdout, stderr) = Host(definition, "run", "--json");
        Assert.True(exit == ExitCodes.StepsFailed, stderr);
        using JsonDocument report = JsonDocument.Parse(stdout);
        return report.RootElement.GetProperty("steps").GetProperty(step).GetProperty("computed").GetInt64();
    }

    private long HistoryRows(string product) => _store.Files($"history/results/{product}").Sum(Cairn.Storage.CampaignStore.Rows);

    /// <summary>Every file outside history/, with its bytes: what prune must leave as it is.</summary>
    private (string Path, string Hash)[] Current() =>
        [.. _store.Snapshot().Where(f => !f.Path.Contains("/history/", StringComparison.Ordinal))];

    [Fact]
    public void Keep_one_removes_the_older_versions_and_keeps_the_newest_which_a_revert_then_finds()
    {
        EditedCampaign first = EditedCampaign.WithNewCode("Shift", 'e');
        EditedCampaign second = EditedCampaign.WithNewCode("Shift", 'f');
        Assert.Equal(90, Computed(Campaign.Definition, "Shift"));
        Assert.Equal(90, Computed(first, "Shift"));
        Assert.Equal(90, Computed(second, "Shift"));
        Assert.Equal(180, HistoryRows("shift"));
        var before = _store.Snapshot();

        var (dryExit, dry, _) = Host(second, "prune", "--keep", "1", "--dry-run", "--json");
        Assert.Equal(ExitCodes.Success, dryExit);
        using (JsonDocument plan = JsonDocument.Parse(dry))
        {
            JsonElement shift = plan.RootElement.GetProperty("directories").GetProperty("history/results/shift");
            Assert.Equal(180, shift.GetProperty("rows").GetInt64());
            Assert.Equal(90, shift.GetProperty("rows_removed").GetInt64());
            Assert.True(plan.RootElement.GetProperty("dry_run").GetBoolean());
        }

        Assert.Equal(before, _store.Snapshot());

        var current = Current();
        var (exit, text, _) = Host(second, "prune", "--keep", "1");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("rows of history removed; results/ and points/ are as they were.", text, StringComparison.Ordinal);
        Assert.Equal(90, HistoryRows("shift"));
        Assert.Equal(current, Current());

        // The kept version is the newest one before the current: undoing the last edit computes nothing.
        Assert.Equal(0, Computed(first, "Shift"));
        Assert.Equal(90, Computed(Campaign.Definition, "Shift"));
    }

    [Fact]
    public void Before_a_date_and_all_remove_history_rows_by_age_and_leave_results_and_points_alone()
    {
        Assert.Equal(90, Computed(Campaign.Definition, "Square"));
        TestSteps.PointCount = 60;
        Assert.Equal(0, Computed(Campaign.Definition, "Square"));
        Assert.Equal(36, HistoryRows("square"));
        Assert.Equal(40, _store.Files("history/points").Sum(Cairn.Storage.CampaignStore.Rows));
        var current = Current();

        Assert.Equal(ExitCodes.Success, Host(Campaign.Definition, "prune", "--before", "2000-01-01").Exit);
        Assert.Equal(36, HistoryRows("square"));

        Assert.Equal(ExitCodes.Success, Host(Campaign.Definition, "prune", "--before", DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Exit);
        Assert.Empty(_store.Files("history/results/square"));
        Assert.Empty(_store.Files("history/points"));
        Assert.Equal(current, Current());
        Assert.Equal(54, Campaign.Results.Square(_store.Root).Count);

        // The pruned points' results are gone for good: growing the grid again computes them.
        TestSteps.PointCount = 100;
        Assert.Equal(36, Computed(Campaign.Definition, "Square"));
        TestSteps.PointCount = 60;
        Assert.Equal(0, Computed(Campaign.Definition, "Square"));
        Assert.Equal(ExitCodes.Success, Host(Campaign.Definition, "prune", "--all").Exit);
        Assert.Empty(_store.Files("history/results/square"));
        Assert.Empty(_store.Files("history/results/shift"));
    }

    [Theory]
    [InlineData("prune takes one of --all, --before DATE (e.g. 2026-11-30) or --keep K (the newest K versions of each product)")]
    [InlineData("prune takes one of --all, --before DATE (e.g. 2026-11-30) or --keep K (the newest K versions of each product)", "--all", "--keep", "2")]
    [InlineData("option '--before' takes a date or time (UTC), e.g. 2026-11-30 or 2026-11-30T12:00, not 'yesterday'", "--before", "yesterday")]
    [InlineData("option '--keep' takes a whole number above 0, not '0'", "--keep", "0")]
    public void A_rule_that_is_missing_doubled_or_malformed_is_a_usage_error(string message, params string[] rule)
    {
        Assert.Equal(ExitCodes.StepsFailed, Host(Campaign.Definition, "run").Exit);
        var before = _store.Snapshot();

        var (exit, _, stderr) = Host(Campaign.Definition, ["prune", .. rule]);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("error: " + message, stderr.Split('\n')[0]);
        Assert.Equal(before, _store.Snapshot());
    }

    [Fact]
    public void Prune_waits_for_no_one_while_another_process_compacts()
    {
        Assert.Equal(ExitCodes.StepsFailed, Host(Campaign.Definition, "run").Exit);
        using (new FileStream(Path.Combine(_store.Root, ".compact.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var (exit, _, stderr) = Host(Campaign.Definition, "prune", "--all");

            Assert.Equal(ExitCodes.Store, exit);
            Assert.StartsWith($"error: another process is compacting or pruning {_store.Root}", stderr, StringComparison.Ordinal);
        }
    }
}
