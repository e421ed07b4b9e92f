using System;
using System.Collections.Generic;
using System.IO.Hashing;
using System.Linq;
using System.Text;
using Cairn.Columns;

namespace Cairn.Storage;

/// <summary>
/// The rows of a directory met so far, told apart by the directory's identity columns
/// (<see cref="StoreDirectory.Identity"/>) as one 128-bit hash each: a row alike in those to one met
/// before is a copy of it, as a compaction killed between committing a merged file and deleting its
/// sources leaves them.
/// </summary>
internal sealed class SeenRows
{
    private readonly int[] _identity;
    private readonly HashSet<UInt128> _seen = [];
    private Column[]? _unique;

    /// <summary>For rows laid out as <paramref name="columns"/>, which hold every identity column of <paramref name="directory"/>.</summary>
    public SeenRows(StoreDirectory directory, IReadOnlyList<Column> columns)
    {
        List<string> names = columns.Select(c => c.Name).ToList();
        _identity = directory.Identity.Select(name => names.IndexOf(name)).ToArray();
    }

    /// <summary>Empty columns of <paramref name="directory"/>'s identity alone, to read no more of a shard than it.</summary>
    public static Column[] IdentityColumns(StoreDirectory directory) =>
        directory.Columns.Where(c => directory.Identity.Contains(c.Name)).Select(c => c.CreateEmpty()).ToArray();

    /// <summary>Meets row <paramref name="row"/>: false when a row alike was met before.</summary>
    public bool Add(IReadOnlyList<Column> columns, int row)
    {
        var text = new StringBuilder();
        foreach (int column in _identity)
        {
            text.Append(Column.Format(columns[column].GetBoxed(row))).Append('\u001f');
        }

        return _seen.Add(XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The rows of <paramref name="rows"/> not met before, in columns of the same layout that the next call reuses.</summary>
    public Column[] Distinct(Column[] rows)
    {
        _unique ??= rows.Select(c => c.CreateEmpty()).ToArray();
        foreach (Column column in _unique)
        {
            column.Clear();
        }

        for (int row = 0; row < rows[0].Count; row++)
        {
            if (Add(rows, row))
            {
                for (int c = 0; c < rows.Length; c++)
                {
                    _unique[c].AppendFrom(rows[c], row);
                }
            }
        }

        return _unique;
    }
}
