using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cairn.Columns;

namespace Cairn.Storage;

/// <summary>
/// Appends batches of one product to a shard and commits it when it holds the given number of rows
/// or has been open for the commit interval, so that a crash loses at most one interval of work.
/// <see cref="Compact"/> then merges the small shards this sink committed, so that after a run the
/// files grow with results / rows-per-shard, however slowly the results came.
/// </summary>
internal sealed class ShardSink : IDisposable
{
    private readonly IShardFormat _format;
    private readonly string _directory;
    private readonly IReadOnlyDictionary<string, string> _metadata;
    private readonly long _rowsPerShard;
    private readonly TimeSpan _commitInterval;
    private readonly List<(string Path, long Rows)> _committed = [];
    private IReadOnlyList<Column>? _schema;
    private ShardWriter? _writer;

    public ShardSink(IShardFormat format, string directory, IReadOnlyDictionary<string, string> metadata, long rowsPerShard, TimeSpan commitInterval)
    {
        _format = format;
        _directory = directory;
        _metadata = metadata;
        _rowsPerShard = rowsPerShard;
        _commitInterval = commitInterval;
    }

    /// <summary>Shards committed by this sink (compaction's merged files included, its sources not).</summary>
    public int FilesCommitted { get; private set; }

    /// <summary>Rows in committed shards.</summary>
    public long RowsCommitted => _committed.Sum(c => c.Rows);

    public void Append(IReadOnlyList<Column> columns)
    {
        if (columns[0].Count == 0)
        {
            return;
        }

        _schema ??= columns.Select(c => c.CreateEmpty()).ToArray();
        _writer ??= new ShardWriter(_format, _directory, columns, _metadata);
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

        long rows = _writer.Rows;
        _writer.Commit();
        _committed.Add((_writer.FinalPath, rows));
        _writer.Dispose();
        _writer = null;
        FilesCommitted++;
    }

    /// <summary>
    /// Merges this sink's committed shards that hold fewer than rows-per-shard rows into full ones.
    /// Each merged shard is committed before its sources are removed: a crash in between leaves the
    /// rows twice, never zero times, and readers count a point's first row only.
    /// </summary>
    public void Compact()
    {
        Commit();
        var small = _committed.Where(c => c.Rows < _rowsPerShard).ToList();
        long rows = small.Sum(c => c.Rows);
        if (_schema is null || small.Count <= (rows + _rowsPerShard - 1) / _rowsPerShard)
        {
            return;
        }

        var buffer = _schema.Select(c => c.CreateEmpty()).ToArray();
        var names = buffer.Select(c => c.Name).ToArray();
        var sources = new List<(string Path, long Rows)>();
        foreach ((string Path, long Rows) shard in small)
        {
            _format.Read(shard.Path, buffer, names);
            sources.Add(shard);
            _writer ??= new ShardWriter(_format, _directory, buffer, _metadata);
            _writer.Append(buffer);
            foreach (Column column in buffer)
            {
                column.Clear();
            }

            if (_writer.Rows >= _rowsPerShard || shard == small[^1])
            {
                Commit();
                foreach ((string path, long sourceRows) in sources)
                {
                    File.Delete(path);
                    _committed.Remove((path, sourceRows));
                    FilesCommitted--;
                }

                sources.Clear();
            }
        }
    }

    /// <summary>Abandons the uncommitted shard, if any.</summary>
    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }
}
