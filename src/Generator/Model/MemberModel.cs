namespace Cairn.Generator.Model;

/// <summary>A stored property of a point or output type.</summary>
/// <param name="Name">The property's name, which is also the column's.</param>
/// <param name="TypeName">The property's type, fully qualified.</param>
/// <param name="ColumnType">The C# type of the column's values.</param>
/// <param name="Kind">How the value maps to the column.</param>
/// <param name="ConstructorIndex">Its position among the constructor's parameters, or -1 when set by an initializer.</param>
internal sealed record MemberModel(string Name, string TypeName, string ColumnType, ValueKind Kind, int ConstructorIndex);
