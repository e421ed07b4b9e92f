using System;
using System.Linq;
using Cairn.Columns;

namespace Cairn.Reporting;

/// <summary>
/// A column of numbers read as doubles, for plotting: any column of a built-in integer or floating
/// type, nullable ones included (a null reads as NaN, which a plot leaves out). Other columns
/// (text, booleans, dates) are not numeric; 1-D arrays of numbers are read as arrays (<see cref="ArrayOf"/>).
/// </summary>
internal sealed class NumericColumn : IColumnVisitor
{
    private Func<int, double>? _read;
    private Func<int, double[]?>? _readArray;

    private NumericColumn()
    {
    }

    /// <summary>The column's values as doubles; null when the column is not numeric.</summary>
    public static Func<int, double>? Of(Column column)
    {
        var visitor = new NumericColumn();
        column.Accept(visitor);
        return visitor._read;
    }

    /// <summary>The column's 1-D arrays of numbers as arrays of doubles; null when the column holds no such arrays.</summary>
    public static Func<int, double[]?>? ArrayOf(Column column)
    {
        var visitor = new NumericColumn();
        column.Accept(visitor);
        return visitor._readArray;
    }

    public void Visit<T>(Column<T> column)
    {
        Type type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (IsNumber(type))
        {
            _read = row => column[row] is { } value ? Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) : double.NaN;
        }
        else if (type.IsArray && type.GetArrayRank() == 1 && IsNumber(type.GetElementType()!))
        {
            _readArray = row => column[row] is Array values
                ? [.. values.Cast<object>().Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture))]
                : null;
        }
    }

    private static bool IsNumber(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(Half) || type == typeof(decimal)
        || type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(sbyte)
        || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte);
}
