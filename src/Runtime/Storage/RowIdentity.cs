using System;
using System.Collections.Generic;
using System.IO.Hashing;
using System.Linq;
using System.Text;
using Cairn.Columns;

namespace Cairn.Storage;

/// <summary>
/// What tells the rows of a directory apart (<see cref="StoreDirectory.Identity"/>), as one 128-bit
/// hash per row: two rows with the same hash are copies of one row, as a compaction killed between
/// committing a merged file and deleting its sources leaves them.
/// </summary>
internal sealed class RowIdentity
{
    private readonly int[] _columns;

    private RowIdentity(int[] columns) => _columns = columns;

    /// <summary>The identity of rows laid out as <paramref name="columns"/> (which hold every identity column of <paramref name="directory"/>).</summary>
    public static RowIdentity In(StoreDirectory directory, IReadOnlyList<Column> columns) =>
        new(directory.Identity.Select(name => columns.ToList().FindIndex(c => c.Name == name)).ToArray());

    /// <summary>Empty columns of <paramref name="directory"/>'s identity alone, to read no more of a shard than it.</summary>
    public static Column[] Columns(StoreDirectory directory) =>
        directory.Columns.Where(c => directory.Identity.Contains(c.Name)).Select(c => c.CreateEmpty()).ToArray();

    public UInt128 Of(IReadOnlyList<Column> columns, int row)
    {
        var text = new StringBuilder();
        foreach (int column in _columns)
        {
            text.Append(Column.Format(columns[column].GetBoxed(row))).Append('\u001f');
        }

        return XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
