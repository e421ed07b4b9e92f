using System;
using System.Collections.Generic;

namespace Cairn.Hosting;

/// <summary>A step of the generated graph: static data emitted at compile time.</summary>
/// <param name="Name">The step's name.</param>
/// <param name="Product">The product it outputs.</param>
/// <param name="Method">The method, as <c>Type.Method</c>.</param>
/// <param name="OutputType">The output type's display name.</param>
/// <param name="Kind">Per point, or once for the campaign.</param>
/// <param name="Version">The user's <c>[Step(Version = n)]</c>.</param>
/// <param name="CodeHash">The hash of the step's normalized code, computed at compile time.</param>
/// <param name="UsesPoint">Whether a parameter receives the point.</param>
/// <param name="Inputs">The <c>[Input]</c> parameters in declaration order.</param>
public sealed record StepInfo(
    string Name,
    string Product,
    string Method,
    string OutputType,
    StepKind Kind,
    int Version,
    string CodeHash,
    bool UsesPoint,
    IReadOnlyList<StepInput> Inputs)
{
    /// <summary>The normalized source that <see cref="CodeHash"/> covers: the step and the in-source code it uses.</summary>
    public string Source { get; init; } = "";

    /// <summary>The format its product is stored in; <see cref="Container.Default"/> follows the campaign's.</summary>
    public Container Container { get; init; }

    /// <summary>The user's <c>[Step(Partial = true)]</c>: a reduction that runs over the inputs that succeeded, rather than waiting for all.</summary>
    public bool Partial { get; init; }

    /// <summary>
    /// The user's <c>[GroupBy(...)]</c>: the point properties a reduction runs once per group of,
    /// stored as the first columns of its results; empty for a step that is not grouped.
    /// </summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    /// <summary>Whether it runs once per group of points.</summary>
    public bool IsGrouped => GroupBy.Count > 0;

    /// <summary>
    /// The user's <c>[Step(TimeoutSeconds = s)]</c>: a run gives up on a point whose step (or on a
    /// reduction that) runs longer and records it as failed (<c>TIMEOUT</c>); null for the run's
    /// <c>--step-timeout</c>, if any.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>What one run of the step needs (<c>[Resources]</c>).</summary>
    public StepResources Resources { get; init; } = StepResources.Default;

    /// <summary>The programs the step runs (<c>[Runs]</c>), as declared.</summary>
    public IReadOnlyList<StepProgram> Programs { get; init; } = [];

    /// <summary>
    /// What <see cref="Programs"/> are on this machine, once the graph has looked them up
    /// (<see cref="ProgramIdentity.Apply"/>): <see cref="CodeHash"/> and <see cref="Source"/> then
    /// cover them. Null for a step whose programs are not looked up yet.
    /// </summary>
    public IReadOnlyList<ProgramIdentity>? ResolvedPrograms { get; init; }
}
