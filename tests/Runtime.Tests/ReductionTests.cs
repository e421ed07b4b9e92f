using System;
using System.Text.Json;
using Cairn.Hosting;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>
/// A reduction over inputs some of which failed: blocked by default, with status saying why and
/// how many inputs are missing; the test campaign's Sum is <c>[Step(Partial = true)]</c>, so this
/// runs it as it would be without.
/// </summary>
[Collection("campaign")]
public sealed class ReductionTests : IDisposable
{
    private readonly TempStore _store = new();

    public ReductionTests() => TestSteps.PointCount = 50;

    public void Dispose()
    {
        TestSteps.PointCount = 100;
        _store.Dispose();
    }

    private (int Exit, string Out, string Err) Run(CampaignDefinition<TestPoint> definition, params string[] args) =>
        Cli.RunWith(definition, [.. args, "--store", _store.Root]);

    private const string Blocked = "Sum is blocked: 5 of 50 points have no current 'shift' (failed, or not computed yet); run again once they have, or mark the step [Step(Partial = true)] to run it over the 45 that have.";

    [Fact]
    public void A_reduction_over_failed_inputs_is_blocked_and_status_says_how_many_are_missing()
    {
        var strict = new EditedCampaign(Campaign.Definition, s => s.Name == "Sum" ? s with { Partial = false } : s);
        var (exit, stdout, stderr) = Run(strict, "run", "--json");

        Assert.Equal(ExitCodes.StepsFailed, exit);
        Assert.Equal(Blocked, stderr.TrimEnd());
        using (JsonDocument report = JsonDocument.Parse(stdout))
        {
            JsonElement sum = report.RootElement.GetProperty("steps").GetProperty("Sum");
            Assert.Equal(0, sum.GetProperty("computed").GetInt64());
            Assert.Equal(1, sum.GetProperty("skipped").GetInt64());
        }

        Assert.Empty(_store.Files("results/total"));
        var (_, status, _) = Run(strict, "status", "--json");
        using (JsonDocument json = JsonDocument.Parse(status))
        {
            JsonElement sum = json.RootElement.GetProperty("steps").GetProperty("Sum");
            Assert.Equal((0, 0, 1, 0), (sum.GetProperty("done").GetInt64(), sum.GetProperty("failed").GetInt64(), sum.GetProperty("blocked").GetInt64(), sum.GetProperty("pending").GetInt64()));
            Assert.Equal(5, sum.GetProperty("missing_inputs").GetInt64());
        }

        Assert.Contains("\n" + Blocked + "\n", Run(strict, "status").Out, StringComparison.Ordinal);

        // The same campaign with Sum partial runs it over the 45, and says so in its row.
        var (partialExit, _, partialErr) = Run(Campaign.Definition, "run");
        Assert.Equal(ExitCodes.StepsFailed, partialExit);
        Assert.DoesNotContain("blocked", partialErr, StringComparison.Ordinal);
        string[] total = Run(Campaign.Definition, "results", "total").Out.TrimEnd().Split('\n');
        Assert.Equal("input_count,points,Sum,Count", total[0]);
        Assert.StartsWith("45,50,", total[1], StringComparison.Ordinal);
        var (_, partialStatus, _) = Run(Campaign.Definition, "status", "--json");
        using JsonDocument done = JsonDocument.Parse(partialStatus);
        JsonElement partialSum = done.RootElement.GetProperty("steps").GetProperty("Sum");
        Assert.Equal(1, partialSum.GetProperty("done").GetInt64());
        Assert.Equal((45, 50), (partialSum.GetProperty("input_count").GetInt64(), partialSum.GetProperty("points").GetInt64()));
        Assert.Contains("\nSum covers 45 of 50 points ([Step(Partial = true)]: the others have no current input).\n", Run(Campaign.Definition, "status").Out, StringComparison.Ordinal);
    }
}
