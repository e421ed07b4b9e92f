namespace Cairn.Generator.Model;

/// <summary>One <c>[Step]</c> method, as parsed from its own syntax and symbol.</summary>
/// <param name="Name">The step's name.</param>
/// <param name="Method">The method to call, fully qualified.</param>
/// <param name="MethodDisplay">The method as <c>Type.Method</c>.</param>
/// <param name="Product">The product it outputs.</param>
/// <param name="Version">The user's <c>[Step(Version = n)]</c>.</param>
/// <param name="Final">The user's <c>[Step(Final = true)]</c>: its product is a result of the campaign even when no step reads it.</param>
/// <param name="Partial">The user's <c>[Step(Partial = true)]</c>: a reduction that runs over the inputs that succeeded.</param>
/// <param name="GroupBy">The user's <c>[GroupBy(...)]</c>: the point properties a reduction runs once per group of; empty for none.</param>
/// <param name="TimeoutSeconds">The user's <c>[Step(TimeoutSeconds = s)]</c>; 0 for none.</param>
/// <param name="Container">The user's <c>[Output(Container = ...)]</c>, as the enum's value (0: the campaign's).</param>
/// <param name="Output">The output type's shape.</param>
/// <param name="Awaits">Whether the method returns a <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>.</param>
/// <param name="Parameters">The parameters in order.</param>
/// <param name="CodeHash">The provenance hash (see <c>StepHasher</c>); empty in the graph's
/// copy, so that a body edit leaves the graph and the host unchanged.</param>
/// <param name="Source">The normalized source the hash covers; empty in the graph's copy.</param>
/// <param name="Problems">What is wrong with the method on its own (see <see cref="MethodParser"/>).</param>
internal sealed record StepModel(
    string Name,
    string Method,
    string MethodDisplay,
    string Product,
    int Version,
    bool Final,
    bool Partial,
    EquatableArray<string> GroupBy,
    double TimeoutSeconds,
    int Container,
    TypeModel Output,
    bool Awaits,
    EquatableArray<ParameterModel> Parameters,
    string CodeHash,
    string Source,
    EquatableArray<Problem> Problems)
{
    /// <summary>The programs it runs (<c>[Runs]</c>), in declaration order.</summary>
    public EquatableArray<ProgramModel> Programs { get; init; } = EquatableArray<ProgramModel>.Empty;

    /// <summary>What one run of it needs (<c>[Resources]</c>); null for the default, one core.</summary>
    public ResourcesModel? Resources { get; init; }

    /// <summary>Whether it runs once per group of points (<c>[GroupBy]</c>).</summary>
    public bool IsGrouped => GroupBy.Count > 0;

    /// <summary>This step without its hash and source: what the graph and the host depend on.</summary>
    public StepModel WithoutCode() => this with { CodeHash = "", Source = "" };
}
