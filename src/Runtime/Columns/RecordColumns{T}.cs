namespace Cairn.Columns;

/// <summary>The generated columnar serializer of <typeparamref name="T"/>.</summary>
public abstract class RecordColumns<T> : RecordColumns
{
    /// <summary>Appends one record, one value to each column.</summary>
    public abstract void Append(T value);

    /// <summary>Rebuilds the record at <paramref name="row"/>.</summary>
    public abstract T Get(int row);
}
