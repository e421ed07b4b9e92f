using System;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Cairn.Execution;
using Cairn.Hosting;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>The run's cores, which steps that need more than one (<c>[Resources]</c>) hold while they run.</summary>
[Collection("campaign")]
public sealed class CoreBudgetTests : IDisposable
{
    private readonly TempStore _store = new();

    public CoreBudgetTests()
    {
        TestSteps.PointCount = 100;
    }

    public void Dispose()
    {
        TestSteps.Probe = null;
        _store.Dispose();
    }

    [Fact]
    public void A_request_takes_at_least_one_core_and_at_most_all()
    {
        var budget = new CoreBudget(4);

        Assert.Equal(1, budget.Take(0));
        Assert.Equal(3, budget.Free);
        budget.Give(1);
        Assert.Equal(4, budget.Take(64));
        Assert.Equal(0, budget.Free);
        budget.Give(4);
        Assert.Equal(4, budget.Free);
    }

    [Fact]
    public async Task A_wide_request_is_not_overtaken_by_narrow_ones_that_come_after_it()
    {
        var budget = new CoreBudget(2);
        var order = new ConcurrentQueue<string>();
        budget.Take(1); // a point runs

        Task wide = Task.Run(() =>
        {
            budget.Take(2);
            order.Enqueue("wide");
            budget.Give(2);
        });
        Assert.True(SpinWait.SpinUntil(() => wide.Status == TaskStatus.Running, TimeSpan.FromSeconds(5)));
        Thread.Sleep(100); // the wide request waits for the core the point holds
        Task narrow = Task.Run(() =>
        {
            budget.Take(1);
            order.Enqueue("narrow");
            budget.Give(1);
        });
        Thread.Sleep(100);

        // One core is free, enough for the narrow request, but it came later: it waits too.
        Assert.Empty(order);
        budget.Give(1);
        await Task.WhenAll(wide, narrow).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["wide", "narrow"], order.ToArray());
        Assert.Equal(2, budget.Free);
    }

    [Fact]
    public void A_step_that_needs_all_the_cores_runs_alone_and_the_others_run_side_by_side()
    {
        // Without [Resources], two workers run Square and Shift side by side.
        TestSteps.Probe = new StepProbe();
        Assert.Equal(ExitCodes.StepsFailed, Cli.RunWith(Campaign.Definition, "run", "--store", _store.Root, "--workers", "2").Exit);
        Assert.Equal(2, TestSteps.Probe.MostWithShift);

        // With Shift needing two cores, a point that runs it holds both: no other step runs meanwhile.
        using var other = new TempStore();
        var wide = new EditedCampaign(Campaign.Definition, s => s.Name == "Shift" ? s with { Resources = new StepResources(1, 2, 0) } : s);
        TestSteps.Probe = new StepProbe();
        var (exit, stdout, stderr) = Cli.RunWith(wide, "run", "--store", other.Root, "--workers", "2", "--json");
        Assert.True(exit == ExitCodes.StepsFailed, stderr);
        using JsonDocument report = JsonDocument.Parse(stdout);
        Assert.Equal(90, report.RootElement.GetProperty("steps").GetProperty("Shift").GetProperty("computed").GetInt64());
        Assert.Equal(1, TestSteps.Probe.MostWithShift);

        // A run with more cores than the step needs runs it beside another.
        using var wider = new TempStore();
        TestSteps.Probe = new StepProbe();
        Assert.Equal(ExitCodes.StepsFailed, Cli.RunWith(wide, "run", "--store", wider.Root, "--workers", "4").Exit);
        Assert.Equal(2, TestSteps.Probe.MostWithShift);
    }

    [Fact]
    public void A_step_that_needs_more_cores_than_the_run_has_runs_on_all_of_them_with_a_warning()
    {
        var wide = new EditedCampaign(Campaign.Definition, s => s.Name == "Shift" ? s with { Resources = new StepResources(4, 2, 0) } : s);
        TestSteps.Probe = new StepProbe();

        var (exit, _, stderr) = Cli.RunWith(wide, "run", "--store", _store.Root, "--workers", "2");

        Assert.Equal(ExitCodes.StepsFailed, exit);
        Assert.Contains("warning: step 'Shift' needs 8 cores ([Resources]) and this run has 2 (--workers): it runs alone, on all of them", stderr, StringComparison.Ordinal);
        Assert.Equal(1, TestSteps.Probe.MostWithShift);
    }
}
