namespace Cairn.Generator.Model;

/// <summary>How a property's value maps to a column.</summary>
internal enum ValueKind
{
    /// <summary>A primitive number or bool, stored as itself.</summary>
    Primitive,

    /// <summary>A string.</summary>
    String,

    /// <summary>A <c>System.DateTime</c>.</summary>
    DateTime,

    /// <summary>An enum, stored by name.</summary>
    Enum,

    /// <summary>A 1-D array of primitives or strings, stored as a list column.</summary>
    Array,

    /// <summary>A nullable primitive or DateTime.</summary>
    Nullable,

    /// <summary>A 2-D array of numbers, bool or Complex (only HDF5 stores it).</summary>
    Matrix,
}
