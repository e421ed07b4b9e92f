using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Cairn.Hosting;

namespace Cairn.Execution;

/// <summary>
/// The keys the global steps' current results have, derived from memory after the per-point phase:
/// the table of point masks then tells, for every point the store or this run has, which per-point
/// results are current, and every key follows from a point id and the graph. So a rerun decides
/// that a reduction over 10^6 points is cached without reading a single per-point key from disk.
/// </summary>
internal sealed class RunKeys
{
    private readonly CampaignGraph _graph;
    private readonly PointMasks _masks;
    private readonly int _workers;
    private readonly Dictionary<int, PointId?> _known = [];

    public RunKeys(CampaignGraph graph, PointMasks masks, int workers)
    {
        _graph = graph;
        _masks = masks;
        _workers = Math.Max(1, workers);
    }

    /// <summary>
    /// The key of global step <paramref name="step"/>'s current result, the same as
    /// <see cref="CurrentResults{TPoint}.Global"/> finds from the store; <see langword="null"/> when
    /// an input has no current value, and for a grouped step (or one that reads a grouped product),
    /// whose keys follow from the points' values, which the table does not hold.
    /// </summary>
    public PointId? Global(int step)
    {
        if (_known.TryGetValue(step, out PointId? known))
        {
            return known;
        }

        if (_graph.Steps[step].IsGrouped)
        {
            _known[step] = null;
            return null;
        }

        int[] producers = _graph.InputSteps[step];
        IReadOnlyList<StepInput> inputs = _graph.Steps[step].Inputs;
        StepSet lists = ListInputs(step);
        PointId[] digests = lists.IsEmpty ? new PointId[producers.Length] : ListDigests(lists, producers, inputs);
        bool ready = digests.Length == producers.Length;
        for (int i = 0; ready && i < producers.Length; i++)
        {
            if (inputs[i].IsList)
            {
                continue;
            }

            if (Global(producers[i]) is PointId single)
            {
                digests[i] = single;
            }
            else
            {
                ready = false;
            }
        }

        PointId? key = ready ? new KeyChain(_graph).Global(step, digests) : null;
        _known[step] = key;
        return key;
    }

    /// <summary>How many current points (those the run met) lack a current result of one of global step <paramref name="step"/>'s list inputs.</summary>
    public long Missing(int step)
    {
        StepSet lists = ListInputs(step);
        return lists.IsEmpty ? 0 : _masks.CountHaving(StoredState.SeenBit) - _masks.CountHaving(lists.Bits | StoredState.SeenBit);
    }

    /// <summary>The per-point steps whose products global step <paramref name="step"/> takes as lists.</summary>
    private StepSet ListInputs(int step)
    {
        int[] producers = _graph.InputSteps[step];
        IReadOnlyList<StepInput> inputs = _graph.Steps[step].Inputs;
        StepSet lists = StepSet.Empty;
        for (int i = 0; i < producers.Length; i++)
        {
            lists = inputs[i].IsList ? lists.With(producers[i]) : lists;
        }

        return lists;
    }

    /// <summary>
    /// Digests of the list inputs over the current points (those the run met) that have every one
    /// of them (other slots stay empty); no digests at all when no point has them all.
    /// </summary>
    private PointId[] ListDigests(StepSet steps, int[] producers, IReadOnlyList<StepInput> inputs)
    {
        ulong lists = steps.Bits | StoredState.SeenBit;
        int count = _masks.CountHaving(lists);
        if (count == 0)
        {
            return [];
        }

        var digests = new PointId[producers.Length];
        using var points = new NativeArray<PointId>(count);
        using var keys = new NativeArray<PointId>(count);
        _masks.CopyHaving(lists, points.Span);
        for (int i = 0; i < producers.Length; i++)
        {
            if (inputs[i].IsList)
            {
                int producer = producers[i];
                int blocks = _workers * 4;
                Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = _workers }, block =>
                {
                    Range range = (int)((long)count * block / blocks)..(int)((long)count * (block + 1) / blocks);
                    ComputeKeys(new KeyChain(_graph), producer, points.Span[range], keys.Span[range]);
                });
                digests[i] = KeyChain.Digest(keys.Span);
            }
        }

        return digests;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeKeys(KeyChain chain, int step, ReadOnlySpan<PointId> points, Span<PointId> keys)
    {
        Span<PointId> chained = stackalloc PointId[step + 1];
        for (int p = 0; p < points.Length; p++)
        {
            chain.Compute(points[p], chained, step + 1);
            keys[p] = chained[step];
        }
    }
}
