using System;
using System.Collections.Generic;
using Cairn.Columns;

namespace Cairn.Storage;

/// <summary>Writes one file of a <see cref="IShardFormat"/>; knows nothing of committing.</summary>
internal interface IShardFileWriter : IDisposable
{
    /// <summary>Rows written so far.</summary>
    long Rows { get; }

    /// <summary>Writes the columns' current values as one row group (all columns hold the same count).</summary>
    void Append(IReadOnlyList<Column> columns);

    /// <summary>
    /// Finishes the file, with <paramref name="completed"/> added to its metadata: what can be said
    /// only once every row is written. Throws when the file cannot be completed.
    /// </summary>
    void Close(IReadOnlyDictionary<string, string>? completed = null);
}
