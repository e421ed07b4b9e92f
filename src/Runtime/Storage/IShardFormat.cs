using System.Collections.Generic;
using Cairn.Columns;

namespace Cairn.Storage;

/// <summary>A container format for shards: the one seam between the store and a file format.</summary>
internal interface IShardFormat
{
    /// <summary>The file extension, with its dot.</summary>
    string Extension { get; }

    /// <summary>Starts a new file at <paramref name="path"/> with the given columns as its schema.</summary>
    IShardFileWriter Create(string path, IReadOnlyList<Column> schema, IReadOnlyDictionary<string, string> metadata);

    /// <summary>
    /// Appends every row of the file to <paramref name="columns"/>, matched by name (a subset of the
    /// file's columns may be read), when the file holds <paramref name="schema"/>.
    /// </summary>
    /// <returns>False, with nothing appended, when the file holds another schema: an older type's rows.</returns>
    /// <exception cref="StoreException">The file is unreadable.</exception>
    bool Read(string path, IReadOnlyList<Column> columns, ShardSchema schema);

    /// <summary>How many rows the file holds, from its metadata (without reading the values).</summary>
    /// <exception cref="StoreException">The file is unreadable.</exception>
    long Rows(string path);

    /// <summary>Entries of the metadata the file was written with, one per key (null when it has none by that name), from one read of it.</summary>
    /// <exception cref="StoreException">The file is unreadable.</exception>
    string?[] Metadata(string path, params string[] keys);
}
