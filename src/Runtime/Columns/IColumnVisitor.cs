namespace Cairn.Columns;

/// <summary>Receives a column with its value type as a generic argument (double dispatch, no reflection).</summary>
public interface IColumnVisitor
{
    /// <summary>Visits one typed column.</summary>
    void Visit<T>(Column<T> column);
}
