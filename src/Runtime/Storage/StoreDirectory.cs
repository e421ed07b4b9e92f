using System.Collections.Generic;
using Cairn.Columns;

namespace Cairn.Storage;

/// <summary>A directory of shards: where it is, the format it is written in now, what it holds, and its columns.</summary>
internal sealed record StoreDirectory(string Path, IShardFormat Format, string Content, IReadOnlyList<Column> Columns);
