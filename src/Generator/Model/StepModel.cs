namespace Cairn.Generator.Model;

/// <summary>One <c>[Step]</c> method, as parsed from its own syntax and symbol.</summary>
/// <param name="Name">The step's name.</param>
/// <param name="Method">The method to call, fully qualified.</param>
/// <param name="MethodDisplay">The method as <c>Type.Method</c>.</param>
/// <param name="Product">The product it outputs.</param>
/// <param name="Version">The user's <c>[Step(Version = n)]</c>.</param>
/// <param name="Output">The output type's shape.</param>
/// <param name="Awaits">Whether the method returns a <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>.</param>
/// <param name="Parameters">The parameters in order.</param>
/// <param name="CodeHash">Hash of the method's normalized syntax and version.</param>
/// <param name="Problem">Why the step cannot be wired, or <see langword="null"/>.</param>
internal sealed record StepModel(
    string Name,
    string Method,
    string MethodDisplay,
    string Product,
    int Version,
    TypeModel Output,
    bool Awaits,
    EquatableArray<ParameterModel> Parameters,
    string CodeHash,
    string? Problem);
