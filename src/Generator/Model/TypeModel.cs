namespace Cairn.Generator.Model;

/// <summary>The shape of a point or output type, from which its columnar serializer is emitted.</summary>
/// <param name="FullName">Fully qualified, with <c>global::</c>.</param>
/// <param name="DisplayName">As the user wrote it.</param>
/// <param name="Identifier">A unique C# identifier derived from the full name.</param>
/// <param name="Members">The stored properties, in declaration order.</param>
/// <param name="Problem">Why the type cannot be stored, or <see langword="null"/>.</param>
/// <param name="Hdf5Only">The first property only HDF5 stores (a Complex or a 2-D array), as "property 'T.P' has type 'X'", or <see langword="null"/>.</param>
internal sealed record TypeModel(string FullName, string DisplayName, string Identifier, EquatableArray<MemberModel> Members, string? Problem, string? Hdf5Only = null);
