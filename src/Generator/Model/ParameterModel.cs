namespace Cairn.Generator.Model;

/// <summary>A step parameter.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="TypeName">Its type, fully qualified; for a list input, the element type.</param>
/// <param name="TypeDisplay">The same type as the user wrote it, for messages.</param>
/// <param name="Product">The product named by <c>[Input]</c>, or <see langword="null"/> without it (then it must be the point).</param>
/// <param name="IsList">Whether its type is <c>IReadOnlyList&lt;T&gt;</c>.</param>
internal sealed record ParameterModel(string Name, string TypeName, string TypeDisplay, string? Product, bool IsList);
