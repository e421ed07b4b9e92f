using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>
/// Grouped reductions (<c>[GroupBy]</c>): the test campaign's ByPhase runs once per phase over that
/// phase's points, which it sees beside their values, and Balance reads all phases' results.
/// </summary>
[Collection("campaign")]
public sealed class GroupedReductionTests : IDisposable
{
    private readonly TempStore _store = new();

    public GroupedReductionTests()
    {
        TestSteps.PointCount = 100;
        TestSteps.ResetGroupCalls();
    }

    public void Dispose()
    {
        TestSteps.PointCount = 100;
        TestSteps.Phases = null;
        TestSteps.LiquidFails = false;
        _store.Dispose();
    }

    private (int Exit, string Out, string Err) Run(params string[] args) => Cli.Run([.. args, "--store", _store.Root]);

    private JsonDocument RunJson()
    {
        var (exit, stdout, stderr) = Run("run", "--json", "--workers", "2");
        Assert.True(exit == ExitCodes.StepsFailed, $"exit {exit}, stderr: {stderr}");
        return JsonDocument.Parse(stdout);
    }

    private static (long Computed, long Cached, long Failed, long Skipped) Counts(JsonDocument report, string step)
    {
        JsonElement s = report.RootElement.GetProperty("steps").GetProperty(step);
        return (s.GetProperty("computed").GetInt64(), s.GetProperty("cached").GetInt64(), s.GetProperty("failed").GetInt64(), s.GetProperty("skipped").GetInt64());
    }

    /// <summary>
    /// What ByPhase must make of the points of one phase, from the step definitions: Shift's value
    /// is i*i - i; Square fails at every i ending in 7; the points come in point-id order.
    /// </summary>
    private PhaseTotal Expected(Phase phase)
    {
        int[] computed = [.. Campaign.Results.Points(_store.Root).Select(p => p.Value).Where(p => p.Phase == phase && !TestSteps.Fails(p.Index)).Select(p => p.Index)];
        return new PhaseTotal(computed.Sum(i => ((double)i * i) - i), computed.Length, computed[0], computed[^1]);
    }

    [Fact]
    public void A_grouped_reduction_runs_once_per_group_over_its_points_and_results_print_a_row_per_group_with_its_columns_first()
    {
        using (JsonDocument report = RunJson())
        {
            Assert.Equal((2, 0, 0, 0), Counts(report, "ByPhase"));
            Assert.Equal((1, 0, 0, 0), Counts(report, "Balance"));
        }

        PhaseTotal solid = Expected(Phase.Solid);
        PhaseTotal liquid = Expected(Phase.Liquid);
        string F(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [
                "Phase,input_count,points,Sum,Count,First,Last",
                $"Solid,{solid.Count},50,{F(solid.Sum)},{solid.Count},{solid.First},{solid.Last}",
                $"Liquid,{liquid.Count},50,{F(liquid.Sum)},{liquid.Count},{liquid.First},{liquid.Last}",
            ],
            Run("results", "phases").Out.TrimEnd().Split('\n'));

        // The typed reader: keyed by group, in key order; and the reduction over all groups.
        IReadOnlyDictionary<Phase, PhaseTotal> phases = Campaign.Results.Phases(_store.Root);
        Assert.Equal([Phase.Solid, Phase.Liquid], phases.Keys);
        Assert.Equal(solid, phases[Phase.Solid]);
        Assert.Equal(liquid, phases[Phase.Liquid]);
        Assert.Equal(new Balance(solid.Sum - liquid.Sum, 2), Campaign.Results.Balance(_store.Root));

        // The graph says how often each step runs.
        Assert.Matches(@"\nByPhase +points\[\], shift\[\] +phases +PhaseTotal +per Phase ", Cli.Run("graph").Out);
        Assert.Contains("[[\"ByPhase, per Phase\"]]", Cli.Run("graph", "--format", "mermaid").Out, StringComparison.Ordinal);

        using JsonDocument status = JsonDocument.Parse(Run("status", "--json").Out);
        JsonElement byPhase = status.RootElement.GetProperty("steps").GetProperty("ByPhase");
        Assert.Equal((2, 0), (byPhase.GetProperty("done").GetInt64(), byPhase.GetProperty("pending").GetInt64()));

        using JsonDocument rerun = RunJson();
        Assert.Equal((0, 2, 0, 0), Counts(rerun, "ByPhase"));
        Assert.Equal((0, 1, 0, 0), Counts(rerun, "Balance"));
        Assert.Equal(2, TestSteps.SumByPhaseCalls);
    }

    [Fact]
    public void Groups_run_at_once_on_the_runs_workers()
    {
        // Each group waits for the other at a barrier: run one after the other, the first would time out.
        using var meet = new System.Threading.Barrier(2);
        TestSteps.GroupsMeet = meet;
        try
        {
            using JsonDocument report = RunJson();
            Assert.Equal((2, 0, 0, 0), Counts(report, "ByPhase"));
        }
        finally
        {
            TestSteps.GroupsMeet = null;
        }
    }

    [Fact]
    public void Adding_points_of_a_new_group_computes_that_groups_result_alone()
    {
        RunJson().Dispose();
        Assert.Equal(2, TestSteps.SumByPhaseCalls);
        string[] before = Run("results", "phases", "--format", "json").Out.Split("},{");

        TestSteps.PointCount = 130;
        TestSteps.Phases = i => i >= 100 ? Phase.Gas : i % 2 == 0 ? Phase.Solid : Phase.Liquid;
        using JsonDocument report = RunJson();

        Assert.Equal((1, 2, 0, 0), Counts(report, "ByPhase"));
        Assert.Equal(3, TestSteps.SumByPhaseCalls);
        Assert.Equal((1, 0, 0, 0), Counts(report, "Balance"));
        IReadOnlyDictionary<Phase, PhaseTotal> phases = Campaign.Results.Phases(_store.Root);
        Assert.Equal([Phase.Solid, Phase.Liquid, Phase.Gas], phases.Keys);
        Assert.Equal(Expected(Phase.Gas), phases[Phase.Gas]);
        Assert.Equal(27, phases[Phase.Gas].Count);
        Assert.Equal(3, Campaign.Results.Balance(_store.Root).Groups);

        // The two groups that kept their points kept their rows; results/phases holds the three current ones.
        string[] after = Run("results", "phases", "--format", "json").Out.Split("},{");
        Assert.Equal(before[0].TrimStart('['), after[0].TrimStart('['));
        Assert.Equal(3, after.Length);
        Assert.Equal(3, Run("results", "phases", "--all-versions").Out.TrimEnd().Split('\n').Length - 1);
    }

    [Fact]
    public void A_failed_group_is_recorded_alone_blocks_what_reads_all_groups_and_is_retried_alone()
    {
        TestSteps.LiquidFails = true;
        using (JsonDocument report = RunJson())
        {
            Assert.Equal((1, 0, 1, 0), Counts(report, "ByPhase"));
            Assert.Equal((0, 0, 0, 1), Counts(report, "Balance"));
        }

        var (_, status, _) = Run("status");
        Assert.Contains("ByPhase", status, StringComparison.Ordinal);
        Assert.Contains("Phase=Liquid: the liquid group fails", status, StringComparison.Ordinal);
        Assert.Equal(["Phase", "Solid"], Run("results", "phases").Out.TrimEnd().Split('\n').Select(l => l.Split(',')[0]));

        TestSteps.LiquidFails = false;
        using (JsonDocument retry = RunJson())
        {
            Assert.Equal((1, 1, 0, 0), Counts(retry, "ByPhase"));
            Assert.Equal((1, 0, 0, 0), Counts(retry, "Balance"));
        }

        Assert.Equal(3, TestSteps.SumByPhaseCalls);
        Assert.DoesNotContain("the liquid group fails", Run("status").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_grouped_step_that_is_not_partial_runs_the_groups_whose_points_all_have_inputs_and_the_others_wait()
    {
        // Square fails at every index ending in 7: all odd, so the liquid group lacks 10 inputs and the solid one none.
        var strict = new EditedCampaign(Campaign.Definition, s => s.Name == "ByPhase" ? s with { Partial = false } : s);
        var (exit, stdout, stderr) = Cli.RunWith(strict, ["run", "--json", "--store", _store.Root]);
        Assert.Equal(ExitCodes.StepsFailed, exit);
        Assert.Contains("ByPhase is blocked: 10 of 100 points have no current 'shift' (failed, or not computed yet) (the groups of those points wait; the others run)", stderr, StringComparison.Ordinal);
        using (JsonDocument report = JsonDocument.Parse(stdout))
        {
            Assert.Equal((1, 0, 0, 1), Counts(report, "ByPhase"));
            // What reads all groups waits for the one that waits.
            Assert.Equal((0, 0, 0, 1), Counts(report, "Balance"));
        }

        Assert.Equal(["Phase", "Solid"], Cli.RunWith(strict, ["results", "phases", "--store", _store.Root]).Out.TrimEnd().Split('\n').Select(l => l.Split(',')[0]));
        using JsonDocument status = JsonDocument.Parse(Cli.RunWith(strict, ["status", "--json", "--store", _store.Root]).Out);
        JsonElement byPhase = status.RootElement.GetProperty("steps").GetProperty("ByPhase");
        Assert.Equal((1, 1), (byPhase.GetProperty("done").GetInt64(), byPhase.GetProperty("blocked").GetInt64()));
    }

    [Fact]
    public void Provenance_shows_each_groups_run_over_the_map_of_its_inputs_and_PROV_JSON_loads()
    {
        RunJson().Dispose();

        var (exit, text, error) = Run("provenance", "phases");
        Assert.True(exit == ExitCodes.Success, error);
        Assert.Matches("phases [0-9a-f]{32}: made by step ByPhase for group Phase=Solid, ok", text);
        Assert.Matches("phases [0-9a-f]{32}: made by step ByPhase for group Phase=Liquid, ok", text);
        Assert.Contains("used     the map of 50 'shift' results, digest ", text, StringComparison.Ordinal);
        Assert.Contains("used     the map of 40 'shift' results, digest ", text, StringComparison.Ordinal);

        // The reduction over all groups used the map of the two groups' results.
        var (balanceExit, balance, balanceError) = Run("provenance", "balance");
        Assert.True(balanceExit == ExitCodes.Success, balanceError);
        Assert.Contains("used     the map of 2 'phases' results, digest ", balance, StringComparison.Ordinal);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(balance, "made by step").Count);

        // With a point: its own chain, and only its group's run, of which the map of groups holds the result.
        string[] withPoints = Run("results", "shift", "--with-points").Out.Split('\n');
        int phaseColumn = Array.IndexOf(withPoints[0].Split(','), "Phase");
        string point = withPoints[1].Split(',')[0];
        string phase = withPoints[1].Split(',')[phaseColumn];
        string json = Run("provenance", "balance", "--point", point, "--format", "prov-json").Out;
        using JsonDocument document = ProvCheck(json);
        Assert.Equal(2, document.RootElement.GetProperty("counts").GetProperty("prov:Membership").GetInt32());
        using JsonDocument raw = JsonDocument.Parse(json);
        string[] groups = [.. raw.RootElement.GetProperty("entity").EnumerateObject()
            .Where(e => e.Value.TryGetProperty("cairn:group", out _)).Select(e => e.Value.GetProperty("cairn:group").GetString()!)];
        Assert.Equal([$"Phase={phase}"], groups);
    }

    /// <summary>Loads a PROV-JSON document with the reference library (python3-prov).</summary>
    private static JsonDocument ProvCheck(string json)
    {
        string file = System.IO.Path.GetTempFileName();
        System.IO.File.WriteAllText(file, json);
        try
        {
            return Tools.RunJson("/usr/bin/python3", "prov-check.py", file, "python3-prov could not load the document (the README's test command installs it)");
        }
        finally
        {
            System.IO.File.Delete(file);
        }
    }
}
