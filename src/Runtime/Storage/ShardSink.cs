using System;
using System.Collections.Generic;
using Cairn.Columns;

namespace Cairn.Storage;

/// <summary>
/// Appends batches of one product to a shard and commits it when it holds the given number of rows
/// or has been open for the commit interval, so that a crash loses at most one interval of work.
/// The small shards this leaves are merged at the end of a run by <see cref="Compaction"/>.
/// </summary>
internal sealed class ShardSink : IDisposable
{
    private readonly IShardFormat _format;
    private readonly string _directory;
    private readonly IReadOnlyDictionary<string, string> _metadata;
    private readonly long _rowsPerShard;
    private readonly TimeSpan _commitInterval;
    private readonly string? _tag;
    private ShardWriter? _writer;

    public ShardSink(IShardFormat format, string directory, IReadOnlyDictionary<string, string> metadata, long rowsPerShard, TimeSpan commitInterval, string? tag = null)
    {
        _tag = tag;
        _format = format;
        _directory = directory;
        _metadata = metadata;
        _rowsPerShard = rowsPerShard;
        _commitInterval = commitInterval;
    }

    /// <summary>Shards committed by this sink.</summary>
    public int FilesCommitted { get; private set; }

    /// <summary>Rows in the open shard (0 when none is open).</summary>
    public long Rows => _writer?.Rows ?? 0;

    /// <summary>When the open shard was opened; null when none is open.</summary>
    public DateTime? OpenedAt => _writer?.OpenedAt;

    public void Append(IReadOnlyList<Column> columns)
    {
        if (columns[0].Count == 0)
        {
            return;
        }

        _writer ??= new ShardWriter(_format, _directory, columns, _metadata, _tag);
        _writer.Append(columns);
        if (_writer.Rows >= _rowsPerShard || DateTime.UtcNow - _writer.OpenedAt >= _commitInterval)
        {
            Commit();
        }
    }

    /// <summary>Commits the open shard, if any.</summary>
    public void Commit()
    {
        if (_writer is null)
        {
            return;
        }

        _writer.Commit();
        _writer.Dispose();
        _writer = null;
        FilesCommitted++;
    }

    /// <summary>Abandons the uncommitted shard, if any.</summary>
    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }
}
