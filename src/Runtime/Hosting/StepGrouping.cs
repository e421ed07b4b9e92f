using System;
using System.Collections.Generic;
using Cairn.Columns;

namespace Cairn.Hosting;

/// <summary>
/// How a grouped reduction (<c>[GroupBy]</c>) splits the points into groups: the generated
/// <see cref="Grouping{TPoint, TKey}"/> of one step, seen without its key type.
/// </summary>
/// <typeparam name="TPoint">The point type.</typeparam>
public abstract class StepGrouping<TPoint>
{
    private protected StepGrouping(IReadOnlyList<string> properties) => Properties = properties;

    /// <summary>The point properties whose values make a group, which are also the stored group columns.</summary>
    public IReadOnlyList<string> Properties { get; }

    /// <summary>New, empty columns for the groups' keys.</summary>
    internal abstract RecordColumns CreateColumns();

    /// <summary>
    /// Splits <paramref name="count"/> points, given by position, into groups ordered by key: each
    /// group's key (appended to <see cref="PointGroups.Keys"/>), the id of its canonical bytes, and
    /// its members' positions in ascending order.
    /// </summary>
    internal abstract PointGroups Assign(Func<int, TPoint> pointAt, int count);
}

/// <summary>The groups of a set of points, in key order.</summary>
/// <param name="Keys">Row g holds group g's key.</param>
/// <param name="Ids">The hash of each group key's canonical bytes: what a group's result key covers.</param>
/// <param name="Members">Each group's points, by position in the points given, ascending.</param>
internal sealed record PointGroups(RecordColumns Keys, PointId[] Ids, int[][] Members)
{
    public int Count => Ids.Length;
}
