using System;
using System.Linq;
using System.Text;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Execution;

/// <summary>
/// Runs a global step once over what the store holds: list inputs aligned on the points that have
/// all of them (ordered by point id), single inputs from the newest row of another global product.
/// The result is stored with the hash of its inputs and code; the same hash stored means cached.
/// </summary>
internal sealed class GlobalStepRunner<TPoint>
{
    private readonly CampaignDefinition<TPoint> _definition;
    private readonly CampaignStore _store;
    private readonly string _signature;
    private readonly CampaignGraph _graph;

    public GlobalStepRunner(CampaignDefinition<TPoint> definition, CampaignStore store, string signature)
    {
        _definition = definition;
        _store = store;
        _signature = signature;
        _graph = definition.Graph;
    }

    /// <summary>Runs the step unless cached; returns the number of files committed.</summary>
    public int Run(int step, StepCounts counts)
    {
        StepInfo info = _graph.Steps[step];
        int[] producers = _graph.InputSteps[step];
        var inputs = new ProductBuffer?[producers.Length];
        var identity = new StringBuilder().Append(info.CodeHash).Append('/').Append(info.Version);
        for (int i = 0; i < producers.Length; i++)
        {
            inputs[i] = Load(producers[i]);
            if (inputs[i]!.Count == 0)
            {
                counts.Skipped++;
                return 0;
            }
        }

        int[]?[] rows = Align(info, inputs, out int aligned, out string pointsHash);
        identity.Append('/').Append(pointsHash);
        for (int i = 0; i < producers.Length; i++)
        {
            if (!info.Inputs[i].IsList)
            {
                identity.Append('/').Append(inputs[i]!.InputsHash[inputs[i]!.Count - 1]);
            }
        }

        string inputsHash = CampaignStore.HashText(identity.ToString());
        ProductBuffer existing = Load(step);
        if (existing.InputsHash.Values.Contains(inputsHash))
        {
            counts.Cached++;
            return 0;
        }

        ProductBuffer output = ProductBuffer.Global(_definition.CreateColumns(step));
        var run = new GlobalRun(inputs, rows, output);
        using var sink = new ShardSink(_store.Format, _store.ProductDirectory(info.Product),
            CampaignStore.Metadata(_graph.Name, _signature, info.Product), long.MaxValue, TimeSpan.MaxValue);
        using var failureSink = new ShardSink(_store.Format, _store.FailuresDirectory,
            CampaignStore.Metadata(_graph.Name, _signature, "failures"), long.MaxValue, TimeSpan.MaxValue);
        try
        {
            _definition.RunGlobal(step, run);
        }
        catch (Exception e)
        {
            counts.Failed++;
            var failures = new FailureBuffer();
            failures.Add(info.Name, Guid.Empty, e);
            failureSink.Append(failures.All);
            failureSink.Commit();
            return failureSink.FilesCommitted;
        }

        if (!run.Succeeded)
        {
            throw new InvalidOperationException($"the generated code for step '{info.Name}' returned no value");
        }

        counts.Computed++;
        output.InputsHash.Append(inputsHash);
        output.InputCount.Append(aligned);
        sink.Append(output.All);
        sink.Commit();
        return sink.FilesCommitted;
    }

    private ProductBuffer Load(int step) => ProductReader.Load(_store, _definition, step);

    private static int[]?[] Align(StepInfo info, ProductBuffer?[] inputs, out int count, out string pointsHash)
    {
        var rows = new int[]?[inputs.Length];
        var lists = Enumerable.Range(0, inputs.Length).Where(i => info.Inputs[i].IsList).ToArray();
        if (lists.Length == 0)
        {
            count = 0;
            pointsHash = "";
            return rows;
        }

        var firstRow = lists.Select(i => ProductReader.FirstRows(inputs[i]!)).ToArray();
        var common = firstRow[0].Keys.Where(id => firstRow.All(map => map.ContainsKey(id)))
            .Select(PointId.FromGuid).Order().ToArray();
        for (int l = 0; l < lists.Length; l++)
        {
            rows[lists[l]] = common.Select(id => firstRow[l][id.ToGuid()]).ToArray();
        }

        count = common.Length;
        var bytes = new byte[common.Length * 16];
        for (int i = 0; i < common.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 16), common[i].High);
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 16 + 8), common[i].Low);
        }

        pointsHash = PointId.Of(bytes).ToString();
        return rows;
    }
}
