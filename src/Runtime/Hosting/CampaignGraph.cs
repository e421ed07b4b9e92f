using System;
using System.Collections.Generic;
using System.Linq;

namespace Cairn.Hosting;

/// <summary>
/// The static dependency graph of a campaign, emitted by the generator with the steps already in
/// topological order (each step after the producers of its inputs).
/// </summary>
public sealed class CampaignGraph
{
    private readonly Dictionary<string, int> _stepByProduct;

    /// <summary>Validates and indexes the graph.</summary>
    /// <exception cref="ArgumentException">A product is produced twice, or an input comes from a later step.</exception>
    public CampaignGraph(string name, string pointType, IReadOnlyList<StepInfo> steps)
    {
        Name = name;
        PointType = pointType;
        // The programs steps run count in their code hashes: looked up and hashed here, once.
        steps = [.. steps.Select(ProgramIdentity.Apply)];
        Steps = steps;
        _stepByProduct = new Dictionary<string, int>(StringComparer.Ordinal);
        var inputSteps = new int[steps.Count][];
        for (int i = 0; i < steps.Count; i++)
        {
            StepInfo step = steps[i];
            inputSteps[i] = step.Inputs.Select(input => _stepByProduct.TryGetValue(input.Product, out int producer)
                ? producer
                : throw new ArgumentException($"step '{step.Name}' reads product '{input.Product}', which no earlier step outputs", nameof(steps))).ToArray();
            if (!_stepByProduct.TryAdd(step.Product, i))
            {
                throw new ArgumentException($"product '{step.Product}' is output by two steps", nameof(steps));
            }
        }

        InputSteps = inputSteps;
        PerPointCount = steps.Count(s => s.Kind == StepKind.PerPoint);
        if (steps.Take(PerPointCount).Any(s => s.Kind != StepKind.PerPoint))
        {
            throw new ArgumentException("per-point steps must come before global steps", nameof(steps));
        }

        if (PerPointCount > MaxPerPointSteps)
        {
            throw new ArgumentException($"a campaign has at most {MaxPerPointSteps} per-point steps", nameof(steps));
        }
    }

    /// <summary>The most per-point steps a campaign may have (they are bits of a mask that has four flags more: <see cref="Execution.StoredState"/>).</summary>
    public const int MaxPerPointSteps = 60;

    /// <summary>The campaign's name (the assembly that declares it).</summary>
    public string Name { get; }

    /// <summary>The point type's display name.</summary>
    public string PointType { get; }

    /// <summary>The steps in topological order: per-point steps first, then global ones.</summary>
    public IReadOnlyList<StepInfo> Steps { get; }

    /// <summary>How many steps run per point; they are the first ones in <see cref="Steps"/>.</summary>
    public int PerPointCount { get; }

    /// <summary>For each step, the indices of the steps producing its inputs, in parameter order.</summary>
    public IReadOnlyList<int[]> InputSteps { get; }

    /// <summary>The most cores one run of a per-point step needs (<see cref="StepResources.AllCores"/>): 1 when none declares more.</summary>
    public int PerPointCores => Steps.Take(PerPointCount).Select(s => s.Resources.AllCores).DefaultIfEmpty(1).Max();

    /// <summary>The first per-point step that needs more than <paramref name="cores"/> cores, if any.</summary>
    public StepInfo? PerPointStepWiderThan(int cores) => Steps.Take(PerPointCount).FirstOrDefault(s => s.Resources.AllCores > cores);

    /// <summary>The index of the step that outputs <paramref name="product"/>, or -1.</summary>
    public int StepOf(string product) => _stepByProduct.TryGetValue(product, out int index) ? index : -1;
}
