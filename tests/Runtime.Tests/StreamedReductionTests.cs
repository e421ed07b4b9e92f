using System;
using System.IO;
using System.Text.Json;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>
/// A reduction that streams its input (<c>IEnumerable&lt;T&gt;</c>): the test campaign's Mean reads
/// the same 'shift' values as Sum's list, shard by shard.
/// </summary>
[Collection("campaign")]
public sealed class StreamedReductionTests : IDisposable
{
    private readonly TempStore _store = new();

    public StreamedReductionTests() => TestSteps.PointCount = 100;

    public void Dispose() => _store.Dispose();

    private JsonDocument RunJson()
    {
        var (exit, stdout, stderr) = Cli.Run("run", "--store", _store.Root, "--json", "--workers", "2");
        Assert.True(exit == ExitCodes.StepsFailed, $"exit {exit}, stderr: {stderr}");
        return JsonDocument.Parse(stdout);
    }

    private static long Computed(JsonDocument report, string step) =>
        report.RootElement.GetProperty("steps").GetProperty(step).GetProperty("computed").GetInt64();

    [Fact]
    public void A_streamed_reduction_sees_each_current_value_once_as_the_list_form_does_even_beside_copies()
    {
        using (JsonDocument first = RunJson())
        {
            Assert.Equal(1, Computed(first, "Mean"));
        }

        Total total = Campaign.Results.Total(_store.Root);
        Mean mean = Campaign.Results.Mean(_store.Root);
        Assert.Equal(90, total.Count);
        Assert.Equal(total.Count, mean.Count);
        Assert.Equal(total.Sum / total.Count, mean.Average, 9);
        // The key from the run's table is the key the store's readers find: results print its row.
        string[] rows = Cli.Run("results", "mean", "--store", _store.Root).Out.TrimEnd().Split('\n');
        Assert.Equal("input_count,points,Average,Count", rows[0]);
        Assert.StartsWith("90,100,", rows[1], StringComparison.Ordinal);

        using (JsonDocument again = RunJson())
        {
            Assert.Equal(0, Computed(again, "Mean"));
        }

        // A crash between a commit and a delete leaves a row twice: the stream counts it once.
        string shift = Path.Combine(_store.Root, "results", "shift");
        foreach (string shard in Directory.GetFiles(shift))
        {
            File.Copy(shard, Path.Combine(shift, "copy-" + Path.GetFileName(shard)));
        }

        foreach (string result in Directory.GetFiles(Path.Combine(_store.Root, "results", "mean")))
        {
            File.Delete(result);
        }

        using (JsonDocument recomputed = RunJson())
        {
            Assert.Equal(1, Computed(recomputed, "Mean"));
        }

        Assert.Equal(mean, Campaign.Results.Mean(_store.Root));
    }
}
