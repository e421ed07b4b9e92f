using System;
using System.Globalization;

namespace Cairn.Columns;

/// <summary>
/// A named, growable buffer of one column's values. Generated serializers append to typed columns;
/// storage formats visit them through <see cref="IColumnVisitor"/>, so the columns know no file format.
/// </summary>
public abstract class Column
{
    /// <summary>Creates a column.</summary>
    protected Column(string name) => Name = name;

    /// <summary>The column's name in the container (the property's name).</summary>
    public string Name { get; }

    /// <summary>The CLR type of one value.</summary>
    public abstract Type ValueType { get; }

    /// <summary>How many values the column holds.</summary>
    public abstract int Count { get; }

    /// <summary>Forgets all values, keeping the buffer for reuse.</summary>
    public abstract void Clear();

    /// <summary>Forgets the values after the first <paramref name="count"/> (those of a shard that could not be read to its end).</summary>
    internal abstract void Truncate(int count);

    /// <summary>A new, empty column with the same name and value type.</summary>
    public abstract Column CreateEmpty();

    /// <summary>Calls the visitor's generic method with this column's value type.</summary>
    public abstract void Accept(IColumnVisitor visitor);

    /// <summary>Appends the value at <paramref name="row"/> of <paramref name="source"/>, a column of the same value type.</summary>
    public abstract void AppendFrom(Column source, int row);

    /// <summary>The value at <paramref name="row"/>, boxed: for printing, not for hot paths.</summary>
    public abstract object? GetBoxed(int row);

    /// <summary>A culture-invariant text form of a value, as the CLI prints it.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        Guid g => g.ToString("N"),
        System.Numerics.Complex z => Format(z.Real) + (double.IsNegative(z.Imaginary) ? "-" : "+") + Format(Math.Abs(z.Imaginary)) + "i",
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
