using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Cairn.Columns;

namespace Cairn.Storage;

/// <summary>
/// The columns a shard holds, by name and type, and a fingerprint of them that every shard carries
/// in its metadata (<see cref="MetadataKey"/>). A product's type may change between builds (a
/// property added, removed, renamed or retyped): shards written before hold another schema, so none
/// of their rows is a current result (a result's key hashes its output type's shape), and readers
/// pass over them instead of failing. Shards made before fingerprints existed are told by their
/// column names.
/// </summary>
internal sealed class ShardSchema
{
    /// <summary>The metadata entry (Parquet key-value metadata, HDF5 group attribute) holding the fingerprint.</summary>
    public const string MetadataKey = "cairn.schema";

    private readonly bool _subset;

    private ShardSchema(IReadOnlyList<string> names, string fingerprint, bool subset = false)
    {
        Names = names;
        Fingerprint = fingerprint;
        _subset = subset;
    }

    /// <summary>The column names, in stored order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>32 hex digits over the names and types, in order.</summary>
    public string Fingerprint { get; }

    public static ShardSchema Of(IReadOnlyList<Column> columns)
    {
        var text = new StringBuilder();
        foreach (Column column in columns)
        {
            text.Append(column.Name).Append(':').Append(StableName(column.ValueType)).Append('\n');
        }

        return new ShardSchema(columns.Select(c => c.Name).ToArray(), CampaignStore.HashText(text.ToString()));
    }

    /// <summary>
    /// Any schema that has these columns (by name): to read the key columns of a shard of whatever
    /// version, as <c>prune</c> does in history.
    /// </summary>
    public static ShardSchema Containing(IReadOnlyList<Column> columns) =>
        new(columns.Select(c => c.Name).ToArray(), "", subset: true);

    /// <summary>
    /// Whether a shard with these column names and this fingerprint (null in shards made before
    /// fingerprints) holds this schema.
    /// </summary>
    public bool Matches(IReadOnlyCollection<string> names, string? fingerprint) =>
        _subset ? Names.All(names.Contains)
        : fingerprint is not null ? fingerprint == Fingerprint
        : names.Count == Names.Count && Names.All(names.Contains);

    /// <summary>A type's name without assembly versions, so that a runtime update keeps the fingerprint.</summary>
    public static string StableName(Type type) =>
        Nullable.GetUnderlyingType(type) is { } inner ? StableName(inner) + "?"
        : type.IsArray ? StableName(type.GetElementType()!) + (type.GetArrayRank() == 1 ? "[]" : $"[{new string(',', type.GetArrayRank() - 1)}]")
        : type.FullName ?? type.Name;
}
