namespace Cairn.Generator.Model;

/// <summary>A step parameter.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="TypeName">Its type, fully qualified; for a list input, the element type; for a dictionary, the value type.</param>
/// <param name="TypeDisplay">The same type as the user wrote it, for messages.</param>
/// <param name="Product">The product named by <c>[Input]</c>, or <see langword="null"/> without it (then it must be the point, or in a reduction the list of points).</param>
/// <param name="IsList">Whether its type is <c>IReadOnlyList&lt;T&gt;</c>, or <c>IEnumerable&lt;T&gt;</c> (<paramref name="IsStream"/>): a reduction's input.</param>
/// <param name="KeyType">For an <c>IReadOnlyDictionary&lt;TKey, T&gt;</c> (all groups of a grouped product): <c>TKey</c>,
/// fully qualified, a tuple written without element names; otherwise <see langword="null"/>.</param>
/// <param name="KeyDisplay"><see cref="KeyType"/> as the user wrote it, for messages.</param>
/// <param name="IsStream">Whether its type is <c>IEnumerable&lt;T&gt;</c>: a reduction input streamed from the store.</param>
internal sealed record ParameterModel(string Name, string TypeName, string TypeDisplay, string? Product, bool IsList, string? KeyType = null, string? KeyDisplay = null, bool IsStream = false)
{
    /// <summary>Whether it reads all groups of a grouped product, keyed by group.</summary>
    public bool IsGroups => KeyType is not null;

    /// <summary>The parameter's whole type as the user wrote it, for messages.</summary>
    public string Written => IsStream ? $"IEnumerable<{TypeDisplay}>" : IsList ? $"IReadOnlyList<{TypeDisplay}>" : IsGroups ? $"IReadOnlyDictionary<{KeyDisplay}, {TypeDisplay}>" : TypeDisplay;
}
