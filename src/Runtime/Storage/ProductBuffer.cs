using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Columns;

namespace Cairn.Storage;

/// <summary>
/// Rows as they are stored: key columns the runtime fills, then the generated value columns.
/// Points: <c>point_id</c>. Per-point results: <c>point_id, key</c>. Results of a global step:
/// <c>key, input_count, points</c>, and of a grouped step then the group's columns. A result's key is the Merkle hash of the code and inputs that made it.
/// </summary>
internal sealed class ProductBuffer
{
    private readonly int _keyColumn;

    private ProductBuffer(RecordColumns values, IReadOnlyList<Column> keys, int keyColumn, RecordColumns? groupKeys = null)
    {
        GroupKeys = groupKeys;
        Values = values;
        Keys = keys;
        _keyColumn = keyColumn;
        All = keys.Concat(values.Columns).ToArray();
        Schema = ShardSchema.Of(All);
    }

    /// <summary>The columns of <see cref="All"/>: the schema of the product's current shards.</summary>
    public ShardSchema Schema { get; }

    /// <summary>The generated value columns.</summary>
    public RecordColumns Values { get; }

    /// <summary>For a grouped result: the group's key columns, stored after the other key columns; otherwise null.</summary>
    public RecordColumns? GroupKeys { get; }

    /// <summary>The key columns, stored first.</summary>
    public IReadOnlyList<Column> Keys { get; }

    /// <summary>Keys then values, as stored.</summary>
    public IReadOnlyList<Column> All { get; }

    /// <summary>The point ids, for points and per-point results.</summary>
    public Column<Guid> PointIds => (Column<Guid>)Keys[0];

    /// <summary>The result keys, for per-point and global results.</summary>
    public Column<Guid> ResultKeys => (Column<Guid>)Keys[_keyColumn];

    /// <summary>For a global result: how many points its list inputs cover.</summary>
    public Column<long> InputCount => (Column<long>)Keys[1];

    /// <summary>For a global result: how many points the campaign had when it was computed (more than <see cref="InputCount"/> only for a <c>[Step(Partial = true)]</c>).</summary>
    public Column<long> PointCount => (Column<long>)Keys[2];

    /// <summary>Rows buffered.</summary>
    public int Count => Keys[0].Count;

    public static ProductBuffer Points(RecordColumns values) => new(values, [new Column<Guid>(StoreLayout.PointIdColumn)], -1);

    public static ProductBuffer PerPoint(RecordColumns values) =>
        new(values, [new Column<Guid>(StoreLayout.PointIdColumn), new Column<Guid>(StoreLayout.KeyColumn)], 1);

    public static ProductBuffer Global(RecordColumns values) =>
        new(values, [new Column<Guid>(StoreLayout.KeyColumn), new Column<long>(StoreLayout.InputCountColumn), new Column<long>(StoreLayout.PointCountColumn)], 0);

    /// <summary>Results of a grouped step: those of a global step, then the group's key columns.</summary>
    public static ProductBuffer Grouped(RecordColumns values, RecordColumns groupKeys) =>
        new(values, [new Column<Guid>(StoreLayout.KeyColumn), new Column<long>(StoreLayout.InputCountColumn), new Column<long>(StoreLayout.PointCountColumn), .. groupKeys.Columns], 0, groupKeys);

    /// <summary>For a grouped product: the values of <paramref name="rows"/> keyed by their group, in the rows' order.</summary>
    /// <exception cref="InvalidOperationException">The product is not grouped.</exception>
    public IReadOnlyDictionary<TKey, T> ByGroup<TKey, T>(IReadOnlyCollection<int> rows)
        where TKey : notnull
    {
        var keys = (RecordColumns<TKey>)(GroupKeys ?? throw new InvalidOperationException("the product is not grouped"));
        var values = (RecordColumns<T>)Values;
        var groups = new Dictionary<TKey, T>(rows.Count);
        foreach (int row in rows)
        {
            groups.Add(keys.Get(row), values.Get(row));
        }

        return groups;
    }

    /// <summary>Appends row <paramref name="row"/> of <paramref name="source"/>, a buffer with the same layout.</summary>
    public void AppendRow(ProductBuffer source, int row)
    {
        for (int i = 0; i < All.Count; i++)
        {
            All[i].AppendFrom(source.All[i], row);
        }
    }

    public void Clear()
    {
        foreach (Column column in All)
        {
            column.Clear();
        }
    }

    /// <summary>
    /// Replaces the key columns with those of one shard, leaving the value columns alone: the buffer
    /// is reused shard after shard (fresh memory costs a page fault per 4 KiB).
    /// </summary>
    public void ReadKeys(CampaignStore store, string shard) => ReadColumns(store, shard, Keys);

    /// <summary>As <see cref="ReadKeys"/>, the point ids alone: the result keys are left empty.</summary>
    public void ReadPointIds(CampaignStore store, string shard) => ReadColumns(store, shard, [PointIds]);

    private void ReadColumns(CampaignStore store, string shard, IReadOnlyList<Column> columns)
    {
        foreach (Column column in Keys)
        {
            column.Clear();
        }

        _ = store.Read(shard, columns, Schema);
    }
}
