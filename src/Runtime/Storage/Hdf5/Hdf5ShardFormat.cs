using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Columns;

namespace Cairn.Storage.Hdf5;

/// <summary>
/// Shards as HDF5 files that h5py, h5dump and HDFView read as ordinary datasets: one group per file,
/// named for what it holds (the product, or <c>points</c>), with the store's metadata (campaign,
/// graph, step hash, Cairn version) as attributes, and one dataset (or group, see
/// <see cref="ColumnCodec"/>) per column, chunked and extendable along the first axis, the row.
/// A shard is complete when it is committed and never written again, so readers need no SWMR.
/// </summary>
internal sealed class Hdf5ShardFormat : IShardFormat
{
    public static Hdf5ShardFormat Instance { get; } = new();

    public string Extension => ".h5";

    public IShardFileWriter Create(string path, IReadOnlyList<Column> schema, IReadOnlyDictionary<string, string> metadata)
    {
        Hdf5Library.EnsureLoaded();
        return new Writer(path, schema, metadata);
    }

    public bool Read(string path, IReadOnlyList<Column> columns, ShardSchema schema) => InShard(path, group =>
    {
        using var buffer = new NativeBuffer();
        List<string> names = Hdf5Objects.Members(group).Where(name => !name.StartsWith('.')).ToList();
        if (!schema.Matches(names, Hdf5Objects.ReadAttribute(group, ShardSchema.MetadataKey)))
        {
            return false;
        }

        foreach (Column column in columns)
        {
            ColumnCodecs.For(column.ValueType).Read(group, column.Name, column, buffer);
        }

        return true;
    });

    /// <summary>The rows of a shard, from the attribute written when it was completed.</summary>
    public long Rows(string path) => InShard(path, group =>
    {
        string? rows = Hdf5Objects.ReadAttribute(group, RowsAttribute);
        return long.TryParse(rows, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long count)
            ? count
            : throw StoreException.Unreadable(path, $"has no attribute {RowsAttribute}, so it was not completed by Cairn");
    });

    public string?[] Metadata(string path, params string[] keys) => InShard(path, group => Array.ConvertAll(keys, key => Hdf5Objects.ReadAttribute(group, key)));

    /// <summary>Opens a shard's one group and hands it to <paramref name="use"/>, under the lock; any HDF5 failure names the file.</summary>
    private static T InShard<T>(string path, Func<Hid, T> use)
    {
        Hdf5Library.EnsureLoaded();
        lock (Hdf5Library.Sync)
        {
            try
            {
                using Hid file = Hdf5Objects.OpenFile(path);
                List<string> roots = Hdf5Objects.Members(file);
                if (roots.Count != 1)
                {
                    throw StoreException.Unreadable(path, $"has {roots.Count} groups at its root where a Cairn shard has one");
                }

                using Hid group = Hdf5Objects.Open(file, roots[0]);
                return use(group);
            }
            catch (Hdf5Exception e)
            {
                throw StoreException.Unreadable(path, $"is not a readable HDF5 file of this campaign (truncated or corrupt?): {e.Message}", e);
            }
        }
    }

    /// <summary>The group attribute that holds the row count, written when the shard is completed.</summary>
    private const string RowsAttribute = "cairn.rows";

    private sealed class Writer : IShardFileWriter
    {
        private readonly string _path;
        private readonly Hid _file;
        private readonly Hid _group;
        private readonly IColumnWriter[] _columns;
        private readonly NativeBuffer _buffer = new();
        private bool _closed;

        public Writer(string path, IReadOnlyList<Column> schema, IReadOnlyDictionary<string, string> metadata)
        {
            _path = path;
            lock (Hdf5Library.Sync)
            {
                try
                {
                    _file = Hdf5Objects.CreateFile(path);
                    _group = Hdf5Objects.CreateGroup(_file, metadata.TryGetValue("cairn.content", out string? content) ? content : "data");
                    foreach ((string key, string value) in metadata)
                    {
                        Hdf5Objects.WriteAttribute(_group, key, value);
                    }

                    _columns = schema.Select(column => ColumnCodecs.For(column.ValueType).CreateWriter(_group, column.Name)).ToArray();
                }
                catch (Hdf5Exception e)
                {
                    throw new StoreException($"cannot write {path}: {e.Message}", e);
                }
            }
        }

        public long Rows { get; private set; }

        public void Append(IReadOnlyList<Column> columns)
        {
            lock (Hdf5Library.Sync)
            {
                try
                {
                    for (int i = 0; i < _columns.Length; i++)
                    {
                        _columns[i].Append(columns[i], _buffer);
                    }
                }
                catch (Hdf5Exception e)
                {
                    throw new StoreException($"cannot write {_path}: {e.Message}", e);
                }
            }

            Rows += columns[0].Count;
        }

        public void Close(IReadOnlyDictionary<string, string>? completed = null)
        {
            lock (Hdf5Library.Sync)
            {
                _closed = true;
                try
                {
                    foreach (IColumnWriter column in _columns)
                    {
                        column.Dispose();
                    }

                    foreach ((string key, string value) in completed ?? new Dictionary<string, string>())
                    {
                        Hdf5Objects.WriteAttribute(_group, key, value);
                    }

                    Hdf5Objects.WriteAttribute(_group, RowsAttribute, Rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    _group.Close("closing a group");
                    _file.Close($"closing {_path}");
                }
                catch (Hdf5Exception e)
                {
                    throw new StoreException($"cannot complete {_path}: {e.Message}", e);
                }
            }
        }

        public void Dispose()
        {
            lock (Hdf5Library.Sync)
            {
                if (!_closed)
                {
                    foreach (IColumnWriter column in _columns)
                    {
                        column.Dispose();
                    }

                    _group.Dispose();
                    _file.Dispose();
                }

                _buffer.Dispose();
            }
        }
    }
}
