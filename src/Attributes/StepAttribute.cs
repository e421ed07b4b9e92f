using System;

namespace Cairn;

/// <summary>
/// Marks a public static method as a step of the campaign. The source generator wires it into the
/// dependency graph: a parameter of the point type receives the point, every other parameter carries
/// <see cref="InputAttribute"/>, and the return value is the step's product.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class StepAttribute : Attribute
{
    /// <summary>The step's name in the graph, the CLI and the store; the method's name when not set.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// A version the user bumps to force recomputation when a change the compiler cannot see
    /// (an input file, an external tool) alters the results.
    /// </summary>
    public int Version { get; set; } = 1;

    /// <summary>
    /// Marks the step's product as a result of the campaign in its own right, so that it is not
    /// reported (CAIRN014) when no other step reads it. Steps that run once are always final.
    /// </summary>
    public bool Final { get; set; }

    /// <summary>
    /// For a reduction (a step with an <c>IReadOnlyList&lt;T&gt;</c> input): runs over the inputs
    /// that succeeded when some points failed, and its stored result says how many it covered of
    /// how many points (<c>input_count</c>, <c>points</c>). Without it, a reduction waits, blocked,
    /// until every point of the campaign has its inputs.
    /// </summary>
    public bool Partial { get; set; }

    /// <summary>
    /// The most seconds the step may run for one point (a reduction: once). A point whose step runs
    /// longer is recorded as failed with the cause <c>TIMEOUT</c>, and the run goes on with the
    /// other points. Overrides <c>run --step-timeout</c>; 0 (the default) for none. Changing it
    /// leaves the step's code hash, and so its stored results, as they are.
    /// </summary>
    public double TimeoutSeconds { get; set; }
}
