using System;
using System.Collections.Generic;
using Cairn.Columns;

namespace Cairn.Hosting;

/// <summary>
/// Strings that are not valid UTF-16 (an unpaired surrogate): the store writes UTF-8, which would
/// turn each such character into U+FFFD, silently changing the string. Points and results holding
/// one are refused instead (<c>INVALID_TEXT</c>).
/// </summary>
internal static class Utf16Text
{
    /// <summary>The index of the first unpaired surrogate of <paramref name="value"/>, or -1.</summary>
    public static int FirstUnpaired(string value)
    {
        // Most strings hold no surrogate at all: one vectorized scan tells.
        int first = value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0)
        {
            return -1;
        }

        for (int i = first; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The name of the first string column whose row <paramref name="row"/> is not valid UTF-16, or null.</summary>
    public static string? InvalidColumn(IReadOnlyList<Column> columns, int row)
    {
        foreach (Column column in columns)
        {
            if (column is Column<string?> strings && strings[row] is string value && FirstUnpaired(value) >= 0)
            {
                return column.Name;
            }
        }

        return null;
    }
}
