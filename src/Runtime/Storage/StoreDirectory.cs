using System.Collections.Generic;
using Cairn.Columns;

namespace Cairn.Storage;

/// <summary>
/// A directory of shards: where it is, the format it is written in now, what it holds, its columns,
/// and the columns that tell its rows apart (<paramref name="Identity"/>): two rows alike in those
/// are copies of one row.
/// </summary>
internal sealed record StoreDirectory(string Path, IShardFormat Format, string Content, IReadOnlyList<Column> Columns, IReadOnlyList<string> Identity);
