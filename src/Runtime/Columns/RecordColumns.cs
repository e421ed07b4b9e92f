using System.Collections.Generic;

namespace Cairn.Columns;

/// <summary>
/// The columnar form of a record type: one <see cref="Column"/> per public property (at least one).
/// Generated for the point type and every output type.
/// </summary>
public abstract class RecordColumns
{
    /// <summary>The columns, in declaration order of the properties.</summary>
    public abstract IReadOnlyList<Column> Columns { get; }

    /// <summary>How many records the columns hold.</summary>
    public int Count => Columns[0].Count;

    /// <summary>Forgets all records.</summary>
    public void Clear()
    {
        foreach (Column column in Columns)
        {
            column.Clear();
        }
    }
}
