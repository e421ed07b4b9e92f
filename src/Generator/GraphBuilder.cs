using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Cairn.Generator.Model;

namespace Cairn.Generator;

/// <summary>
/// Binds the parsed steps into a graph: resolves every input to its producer, decides which steps
/// run per point and which once, and orders them topologically. Pure: no Roslyn symbols.
/// </summary>
internal static class GraphBuilder
{
    public static CampaignModel? Build(string name, ImmutableArray<PointsModel> points, ImmutableArray<StepModel> steps)
    {
        if (steps.IsEmpty && points.IsEmpty)
        {
            return null;
        }

        CampaignModel Fail(string problem) => new(name, points.FirstOrDefault(), EquatableArray<StepModel>.Empty, 0, EquatableArray<TypeModel>.Empty, problem);

        if (points.Length != 1)
        {
            return Fail(points.IsEmpty ? "the campaign has no [Points] method" : "the campaign has more than one [Points] method");
        }

        PointsModel pointsModel = points[0];
        string? problem = pointsModel.Problem ?? pointsModel.PointType.Problem
            ?? steps.Select(s => s.Problem ?? s.Output.Problem).FirstOrDefault(p => p is not null);
        if (problem is not null)
        {
            return Fail(problem);
        }

        if (steps.IsEmpty)
        {
            return Fail("the campaign has no [Step] method");
        }

        var producers = new Dictionary<string, StepModel>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (StepModel step in steps)
        {
            if (!names.Add(step.Name))
            {
                return Fail($"two steps are named '{step.Name}'");
            }

            if (producers.ContainsKey(step.Product))
            {
                return Fail($"steps '{producers[step.Product].Name}' and '{step.Name}' both output product '{step.Product}'");
            }

            producers[step.Product] = step;
        }

        string pointType = pointsModel.PointType.FullName;
        foreach (StepModel step in steps)
        {
            foreach (ParameterModel parameter in step.Parameters)
            {
                if (parameter.Product is null)
                {
                    if (parameter.TypeName != pointType || parameter.IsList)
                    {
                        return Fail($"parameter '{parameter.Name}' of step '{step.Name}' is not the point type '{pointsModel.PointType.DisplayName}' and has no [Input]");
                    }

                    continue;
                }

                if (!producers.TryGetValue(parameter.Product, out StepModel? producer))
                {
                    return Fail($"step '{step.Name}' reads product '{parameter.Product}', which no step outputs");
                }

                if (producer.Output.FullName != parameter.TypeName)
                {
                    return Fail($"parameter '{parameter.Name}' of step '{step.Name}' has type '{parameter.TypeName}' but product '{parameter.Product}' is a '{producer.Output.FullName}'");
                }
            }
        }

        List<StepModel>? ordered = TopologicalOrder(steps, producers, out string? cycle);
        if (ordered is null)
        {
            return Fail($"the steps form a cycle: {cycle}");
        }

        var global = new HashSet<string>(StringComparer.Ordinal);
        foreach (StepModel step in ordered)
        {
            bool usesPoint = step.Parameters.Any(p => p.Product is null);
            bool lists = step.Parameters.Any(p => p.IsList);
            bool perPointInput = step.Parameters.Any(p => p.Product is not null && !p.IsList && !global.Contains(p.Product));
            bool globalInput = step.Parameters.Any(p => p.Product is not null && !p.IsList && global.Contains(p.Product));
            if (step.Parameters.Any(p => p.IsList && global.Contains(p.Product!)))
            {
                return Fail($"step '{step.Name}' takes a list of '{step.Parameters.First(p => p.IsList && global.Contains(p.Product!)).Product}', which is computed once, not per point");
            }

            if (lists || (!usesPoint && !perPointInput))
            {
                if (usesPoint || perPointInput)
                {
                    return Fail($"step '{step.Name}' mixes list inputs with per-point inputs; a reduction takes only lists and once-computed products");
                }

                if (step.Parameters.Count == 0)
                {
                    return Fail($"step '{step.Name}' has no parameter; a step takes the point or an [Input]");
                }

                global.Add(step.Product);
            }
            else if (globalInput)
            {
                return Fail($"step '{step.Name}' runs per point but reads a once-computed product; this is not supported yet");
            }
        }

        var perPoint = ordered.Where(s => !global.Contains(s.Product)).ToList();
        if (perPoint.Count > 62)
        {
            return Fail("a campaign has at most 62 per-point steps");
        }

        var all = perPoint.Concat(ordered.Where(s => global.Contains(s.Product))).ToEquatableArray();
        var types = new[] { pointsModel.PointType }.Concat(all.Select(s => s.Output))
            .GroupBy(t => t.FullName, StringComparer.Ordinal).Select(g => g.First())
            .OrderBy(t => t.Identifier, StringComparer.Ordinal).ToEquatableArray();
        return new CampaignModel(name, pointsModel, all, global.Count, types, null);
    }

    /// <summary>Kahn's algorithm, taking ready steps in declaration order; on a cycle, names its steps.</summary>
    private static List<StepModel>? TopologicalOrder(ImmutableArray<StepModel> steps, Dictionary<string, StepModel> producers, out string? cycle)
    {
        var remaining = steps.ToList();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<StepModel>();
        while (remaining.Count > 0)
        {
            StepModel? ready = remaining.FirstOrDefault(s => s.Parameters.All(p => p.Product is null || done.Contains(p.Product)));
            if (ready is null)
            {
                cycle = DescribeCycle(remaining, producers);
                return null;
            }

            ordered.Add(ready);
            done.Add(ready.Product);
            remaining.Remove(ready);
        }

        cycle = null;
        return ordered;
    }

    private static string DescribeCycle(List<StepModel> remaining, Dictionary<string, StepModel> producers)
    {
        var path = new List<string>();
        StepModel current = remaining[0];
        while (!path.Contains(current.Name))
        {
            path.Add(current.Name);
            current = current.Parameters.Where(p => p.Product is not null && remaining.Contains(producers[p.Product]))
                .Select(p => producers[p.Product!]).First();
        }

        // The path follows inputs back to their producers; data flows the other way.
        var flow = path.Skip(path.IndexOf(current.Name)).Reverse().ToList();
        return string.Join(" -> ", flow.Concat(new[] { flow[0] }));
    }
}
