using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cairn.Columns;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Storage;

namespace Cairn.Scheduling;

/// <summary>
/// What is left to do for Slurm: the points, in [Points] order, whose per-point steps are not all
/// stored under the current code, split into pending ones (never failed) and failed ones by the
/// cause of their first failing step (an exception type, or a Slurm cause such as OUT_OF_MEMORY).
/// </summary>
internal sealed class Backlog
{
    public const string PendingCause = "pending";

    public List<BundlePoint> Pending { get; } = [];

    public SortedDictionary<string, List<BundlePoint>> Failed { get; } = new(StringComparer.Ordinal);

    /// <summary>How many points have failed, whatever the cause.</summary>
    public long FailedPoints => Failed.Values.Sum(list => (long)list.Count);

    public long Points { get; private set; }

    public long Done { get; private set; }

    public long NewPoints { get; private set; }

    /// <summary>
    /// For each point of the plan whose due steps read stored results, the shards that hold those
    /// results (relative to the store): its task then reads only those, not every shard.
    /// </summary>
    public Dictionary<PointId, List<string>> InputShards { get; } = [];

    /// <summary>The shards that hold <paramref name="point"/>'s stored inputs (none when it reads none).</summary>
    public IEnumerable<string> InputShardsOf(BundlePoint point) => InputShards.TryGetValue(point.Id, out List<string>? shards) ? shards : [];

    /// <summary>
    /// Plans over the store as it is; with <paramref name="storeNewPoints"/> the points it does not
    /// hold yet are committed to it, so that <c>status</c> counts them as pending from now on.
    /// </summary>
    public static Backlog Plan<TPoint>(CampaignDefinition<TPoint> definition, CampaignStore store, bool storeNewPoints)
    {
        CampaignGraph graph = definition.Graph;
        var backlog = new Backlog();
        using PointMasks masks = StoredState.Load(store, definition, Environment.ProcessorCount);
        var triage = new PointTriage(graph, masks);
        // A failed global step is no point's: the finish job of a submission runs global steps again.
        List<Failure> failures = OpenFailures.OfPoints(store, graph, masks);
        var causes = new Dictionary<Guid, (int Step, string Cause)>();
        foreach (Failure failure in failures.Where(f => f.Point != Guid.Empty))
        {
            if (!causes.TryGetValue(failure.Point, out var known) || failure.StepIndex < known.Step)
            {
                causes[failure.Point] = (failure.StepIndex, failure.ErrorType);
            }
        }

        ShardSink? sink = storeNewPoints ? store.CreateSink(store.PointsFormat, store.PointsDirectory, "points", 100_000, TimeSpan.MaxValue) : null;
        ProductBuffer buffer = ProductBuffer.Points(definition.CreatePointColumns());
        var values = (RecordColumns<TPoint>)buffer.Values;
        var canonical = new CanonicalWriter();
        var chain = new KeyChain(graph);
        var keys = new PointId[graph.PerPointCount];
        // Per step, the points whose due steps read its stored result, with that result's key.
        var inputs = new Dictionary<Guid, Guid>?[graph.PerPointCount];
        long index = -1;
        try
        {
            using IEnumerator<TPoint> points = PointSource.Start(definition);
            while (PointSource.Next(points))
            {
                TPoint point = points.Current;
                index++;
                canonical.Reset();
                definition.WriteCanonical(point, canonical);
                PointId id = canonical.ToPointId();
                MetPoint met = triage.Meet(id);
                if (met.Duplicate)
                {
                    continue;
                }

                backlog.Points++;
                if (met.IsNew && sink is not null)
                {
                    buffer.PointIds.Append(id.ToGuid());
                    values.Append(point);
                    backlog.NewPoints++;
                    if (buffer.Count >= 65_536)
                    {
                        sink.Append(buffer.All);
                        buffer.Clear();
                    }
                }

                if (met.Done)
                {
                    backlog.Done++;
                    continue;
                }

                if (met.LoadsStoredInputs)
                {
                    chain.Compute(id, keys, graph.PerPointCount);
                    for (int step = 0; step < graph.PerPointCount; step++)
                    {
                        if (met.Plan.Load.Contains(step))
                        {
                            (inputs[step] ??= []).TryAdd(id.ToGuid(), keys[step].ToGuid());
                        }
                    }
                }

                // A new point is stored by now (below): its task must not store it again.
                var planned = new BundlePoint(index, id, sink is not null ? met.Mask | StoredState.PointBit : met.Mask);
                if (causes.TryGetValue(id.ToGuid(), out var failed))
                {
                    if (!backlog.Failed.TryGetValue(failed.Cause, out List<BundlePoint>? list))
                    {
                        backlog.Failed[failed.Cause] = list = [];
                    }

                    list.Add(planned);
                }
                else
                {
                    backlog.Pending.Add(planned);
                }
            }

            if (sink is not null)
            {
                sink.Append(buffer.All);
                sink.Commit();
            }

            for (int step = 0; step < graph.PerPointCount; step++)
            {
                if (inputs[step] is { } wanted)
                {
                    backlog.Locate(store, definition, step, wanted);
                }
            }
        }
        finally
        {
            sink?.Dispose();
        }

        return backlog;
    }

    /// <summary>Records, for each wanted point, the shard of step <paramref name="step"/>'s product that holds its result with the wanted key.</summary>
    private void Locate<TPoint>(CampaignStore store, CampaignDefinition<TPoint> definition, int step, Dictionary<Guid, Guid> wanted)
    {
        ProductBuffer keys = ProductReader.Empty(definition, step);
        foreach (string shard in store.ShardsWithHistory(store.ProductDirectory(definition.Graph.Steps[step].Product)))
        {
            keys.ReadKeys(store, shard);
            string relative = Path.GetRelativePath(store.Root, shard);
            ReadOnlySpan<Guid> points = keys.PointIds.Values;
            ReadOnlySpan<Guid> results = keys.ResultKeys.Values;
            for (int row = 0; row < points.Length; row++)
            {
                if (wanted.TryGetValue(points[row], out Guid key) && key == results[row])
                {
                    List<string> shards = InputShards.TryGetValue(PointId.FromGuid(points[row]), out List<string>? known) ? known : InputShards[PointId.FromGuid(points[row])] = [];
                    if (!shards.Contains(relative))
                    {
                        shards.Add(relative);
                    }
                }
            }
        }
    }
}
