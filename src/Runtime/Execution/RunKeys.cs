using System;
using System.Collections.Generic;
using System.Linq;
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
    private readonly Dictionary<int, PointId[]> _digests = [];

    public RunKeys(CampaignGraph graph, PointMasks masks, int workers)
    {
        _graph = graph;
        _masks = masks;
        _workers = Math.Max(1, workers);
    }

    /// <summary>
    /// What identifies a grouped step's current results in the key of a step that reads them all,
    /// found from the store (their keys follow from the points' values, which the table does not
    /// hold); null when one is not stored. Without it, such steps have no key from memory.
    /// </summary>
    public Func<int, PointId?>? GroupsDigest { get; set; }

    /// <summary>
    /// The key of global step <paramref name="step"/>'s current result, the same as
    /// <see cref="CurrentResults{TPoint}.Global"/> finds from the store; <see langword="null"/> when
    /// an input has no current value, and for a grouped step, whose keys follow from the points'
    /// values, which the table does not hold.
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
            else if (_graph.Steps[producers[i]].IsGrouped && GroupsDigest?.Invoke(producers[i]) is PointId groups)
            {
                digests[i] = groups;
            }
            else
            {
                ready = false;
            }
        }

        PointId? key = ready ? new KeyChain(_graph).Global(step, digests) : null;
        _known[step] = key;
        _digests[step] = digests;
        return key;
    }

    /// <summary>What identifies each input of global step <paramref name="step"/> in its key (as <see cref="GlobalInputs.Digests"/>), once <see cref="Global"/> has found the key.</summary>
    public PointId[] Digests(int step) => Global(step) is not null ? _digests[step] : throw new InvalidOperationException($"step {step} has no key yet");

    /// <summary>How many current points (those the run met) have every list input of global step <paramref name="step"/>: what its current result covers.</summary>
    public long Covered(int step) => _masks.CountHaving(ListInputs(step).Bits | StoredState.SeenBit);

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
    /// of them (other slots stay empty); no digests at all when no point has them all. The table is
    /// walked stripe by stripe on the workers, each point's keys computed once and added to the
    /// digests at once: memory does not grow with the points (about a stripe's ids per worker).
    /// </summary>
    private PointId[] ListDigests(StepSet steps, int[] producers, IReadOnlyList<StepInput> inputs)
    {
        ulong lists = steps.Bits | StoredState.SeenBit;
        if (_masks.CountHaving(lists) == 0)
        {
            return [];
        }

        int last = producers.Where((p, i) => inputs[i].IsList).Max();
        var parts = new KeyDigest[PointMasks.StripeCount, producers.Length];
        Parallel.For(0, PointMasks.StripeCount, new ParallelOptions { MaxDegreeOfParallelism = _workers },
            () => (Chain: new KeyChain(_graph), Ids: Array.Empty<PointId>(), Keys: new PointId[last + 1]),
            (stripe, _, local) =>
            {
                int count = _masks.CopyHaving(stripe, lists, ref local.Ids);
                for (int p = 0; p < count; p++)
                {
                    local.Chain.Compute(local.Ids[p], local.Keys, last + 1);
                    for (int i = 0; i < producers.Length; i++)
                    {
                        if (inputs[i].IsList)
                        {
                            parts[stripe, i].Add(local.Keys[producers[i]]);
                        }
                    }
                }

                return local;
            },
            _ => { });

        var digests = new PointId[producers.Length];
        for (int i = 0; i < producers.Length; i++)
        {
            if (inputs[i].IsList)
            {
                var digest = default(KeyDigest);
                for (int stripe = 0; stripe < PointMasks.StripeCount; stripe++)
                {
                    digest.Add(parts[stripe, i]);
                }

                digests[i] = digest.Result();
            }
        }

        return digests;
    }
}
