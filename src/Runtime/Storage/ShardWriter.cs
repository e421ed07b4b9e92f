using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Cairn.Columns;

namespace Cairn.Storage;

/// <summary>
/// Writes one shard under a hidden temporary name and publishes it by an atomic rename in
/// <see cref="Commit"/>. Readers never see a shard before it is complete; <see cref="Dispose"/>
/// of an uncommitted shard deletes the temporary file and never publishes it.
/// </summary>
internal sealed class ShardWriter : IDisposable
{
    private static int s_sequence;
    private readonly IShardFileWriter _file;
    private readonly string _tempPath;

    /// <summary>The digest of the point ids, for a shard whose first column holds them; null for another.</summary>
    private readonly PointIdsDigest? _ids;
    private bool _done;

    /// <param name="format">The shard's format.</param>
    /// <param name="directory">Where it is committed.</param>
    /// <param name="schema">Its columns.</param>
    /// <param name="metadata">What it says about itself.</param>
    /// <param name="tag">A word (letters and digits) that the name carries before the extension, for the writer to find its own shards again (see <see cref="IsTagged"/>); null for none.</param>
    public ShardWriter(IShardFormat format, string directory, IReadOnlyList<Column> schema, IReadOnlyDictionary<string, string> metadata, string? tag = null)
    {
        Directory.CreateDirectory(directory);
        string suffix = tag is null ? "" : "." + tag;
        string name = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss}-{Environment.MachineName}-{Environment.ProcessId}-{Interlocked.Increment(ref s_sequence):d4}{suffix}{format.Extension}";
        FinalPath = Path.Combine(directory, name);
        _tempPath = Path.Combine(directory, "." + name + ".tmp");
        var described = new Dictionary<string, string>(metadata) { [ShardSchema.MetadataKey] = ShardSchema.Of(schema).Fingerprint };
        _file = format.Create(_tempPath, schema, described);
        _ids = schema is [Column<Guid> { Name: StoreLayout.PointIdColumn }, ..] ? new PointIdsDigest() : null;
        OpenedAt = DateTime.UtcNow;
    }

    /// <summary>When a shard was opened, from the name <see cref="ShardWriter"/> gave it (UTC, to the second); null for another name.</summary>
    public static DateTime? OpenedTime(string path) =>
        DateTime.TryParseExact(Path.GetFileName(path).Split('-')[0], "yyyyMMdd'T'HHmmss", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out DateTime time) ? time : null;

    /// <summary>Whether the shard at <paramref name="path"/> was written with <paramref name="tag"/>.</summary>
    public static bool IsTagged(string path, string tag)
    {
        string name = Path.GetFileName(path);
        int end = name.LastIndexOf('.');
        int start = end - tag.Length - 1;
        return start > 0 && name[start] == '.' && name.AsSpan(start + 1, tag.Length).SequenceEqual(tag);
    }

    /// <summary>Where the shard appears once committed.</summary>
    public string FinalPath { get; }

    /// <summary>When the shard was opened (for time-based commits).</summary>
    public DateTime OpenedAt { get; }

    /// <summary>Rows appended so far.</summary>
    public long Rows => _file.Rows;

    /// <summary>Appends the columns' current values as one row group.</summary>
    public void Append(IReadOnlyList<Column> columns)
    {
        _file.Append(columns);
        _ids?.Append(((Column<Guid>)columns[0]).Values);
    }

    /// <summary>Completes the file and publishes it; throws if either fails, leaving nothing published.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _file.Close(_ids is null ? null : new Dictionary<string, string> { [StoreLayout.PointIdsKey] = _ids.Text });
        File.Move(_tempPath, FinalPath, overwrite: false);
        _done = true;
    }

    /// <summary>Abandons an uncommitted shard: its temporary file is deleted.</summary>
    public void Dispose()
    {
        try
        {
            _file.Dispose();
        }
        catch (Exception) when (!_done)
        {
            // An abandoned file (a full disk, say): whatever its library says on closing it, it is deleted next.
        }
        finally
        {
            if (!_done)
            {
                _done = true;
                File.Delete(_tempPath);
            }
        }
    }
}
