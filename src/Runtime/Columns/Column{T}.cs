using System;

namespace Cairn.Columns;

/// <summary>A column of values of type <typeparamref name="T"/>.</summary>
public sealed class Column<T> : Column
{
    private T[] _values = new T[64];
    private int _count;

    /// <summary>Creates an empty column.</summary>
    public Column(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override Type ValueType => typeof(T);

    /// <inheritdoc/>
    public override int Count => _count;

    /// <summary>The values appended so far.</summary>
    public ReadOnlySpan<T> Values => _values.AsSpan(0, _count);

    /// <summary>The value at <paramref name="row"/>.</summary>
    public T this[int row] => (uint)row < (uint)_count ? _values[row] : throw new ArgumentOutOfRangeException(nameof(row));

    /// <summary>Appends one value.</summary>
    public void Append(T value)
    {
        if (_count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[_count++] = value;
    }

    /// <summary>Appends many values.</summary>
    public void AppendRange(ReadOnlySpan<T> values) => values.CopyTo(AppendSpan(values.Length));

    /// <summary>Appends <paramref name="count"/> default values and returns them, to be filled in place.</summary>
    internal Span<T> AppendSpan(int count)
    {
        if (_count + count > _values.Length)
        {
            Array.Resize(ref _values, Math.Max(_values.Length * 2, _count + count));
        }

        Span<T> added = _values.AsSpan(_count, count);
        _count += count;
        return added;
    }

    /// <inheritdoc/>
    public override void Clear()
    {
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(_values, 0, _count);
        }

        _count = 0;
    }

    /// <inheritdoc/>
    internal override void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _count);
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(_values, count, _count - count);
        }

        _count = count;
    }

    /// <inheritdoc/>
    public override Column CreateEmpty() => new Column<T>(Name);

    /// <inheritdoc/>
    public override void Accept(IColumnVisitor visitor) => visitor.Visit(this);

    /// <inheritdoc/>
    public override void AppendFrom(Column source, int row) => Append(((Column<T>)source)[row]);

    /// <inheritdoc/>
    public override object? GetBoxed(int row) => this[row];
}
