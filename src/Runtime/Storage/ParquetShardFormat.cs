using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cairn.Columns;
using ParquetSharp;
using ParquetSharp.Schema;
using Column = Cairn.Columns.Column;

namespace Cairn.Storage;

/// <summary>Shards as Parquet files, one row group per appended batch, Snappy-compressed but for ids and keys.</summary>
internal sealed class ParquetShardFormat : IShardFormat
{
    public static ParquetShardFormat Instance { get; } = new();

    /// <summary>
    /// Where Arrow allocates the pages it reads and writes: the C library's allocator, which returns
    /// freed memory, rather than Arrow's default jemalloc pool, which keeps about 40 MiB of it for
    /// reuse (a 20,000-point Slurm task peaked at 105 MiB with it, 70 without; bench/README.md).
    /// A task's memory is what Slurm bills and kills it for; the speed is the same (bench/run).
    /// </summary>
    private static readonly MemoryPool Pool = MemoryPool.SystemMemoryPool();

    public string Extension => ".parquet";

    public IShardFileWriter Create(string path, IReadOnlyList<Column> schema, IReadOnlyDictionary<string, string> metadata) =>
        new Writer(path, schema, metadata);

    public bool Read(string path, IReadOnlyList<Column> columns, ShardSchema schema)
    {
        try
        {
            // Pages written with a checksum are verified as they are read: a flipped bit is an unreadable shard, never a wrong value.
            using ReaderProperties verified = ReaderProperties.WithMemoryPool(Pool);
            verified.EnablePageChecksumVerification();
            using var file = new ParquetFileReader(path, verified);
            FileMetaData meta = file.FileMetaData;
            var names = new Dictionary<string, int>(StringComparer.Ordinal);
            GroupNode root = meta.Schema.GroupNode;
            for (int i = 0; i < root.Fields.Length; i++)
            {
                names[root.Fields[i].Name] = i;
            }

            if (!schema.Matches(names.Keys, meta.KeyValueMetadata.GetValueOrDefault(ShardSchema.MetadataKey)))
            {
                file.Close();
                return false;
            }

            var reader = new ColumnFiller();
            for (int g = 0; g < meta.NumRowGroups; g++)
            {
                using RowGroupReader group = file.RowGroup(g);
                reader.Rows = checked((int)group.MetaData.NumRows);
                foreach (Column column in columns)
                {
                    if (!names.TryGetValue(column.Name, out int index))
                    {
                        throw StoreException.Unreadable(path, $"has no column '{column.Name}'");
                    }

                    using ColumnReader columnReader = group.Column(index);
                    reader.Reader = columnReader;
                    column.Accept(reader);
                }
            }

            file.Close();
            return true;
        }
        catch (StoreException)
        {
            throw;
        }
        catch (Exception e) when (e is ParquetException or IOException or InvalidCastException or InvalidOperationException or ArgumentException)
        {
            throw StoreException.Unreadable(path, $"is not a readable Parquet file of this campaign (truncated or corrupt?): {FirstLine(e.Message)}", e);
        }
    }

    public long Rows(string path) => FromFooter(path, meta => meta.NumRows);

    public string?[] Metadata(string path, params string[] keys) => FromFooter(path, meta =>
    {
        IReadOnlyDictionary<string, string> entries = meta.KeyValueMetadata;
        return Array.ConvertAll(keys, key => entries.GetValueOrDefault(key));
    });

    /// <summary>What <paramref name="read"/> takes from the file's footer, without reading its values.</summary>
    private static T FromFooter<T>(string path, Func<FileMetaData, T> read)
    {
        try
        {
            using ReaderProperties properties = ReaderProperties.WithMemoryPool(Pool);
            using var file = new ParquetFileReader(path, properties);
            T value = read(file.FileMetaData);
            file.Close();
            return value;
        }
        catch (Exception e) when (e is ParquetException or IOException)
        {
            throw StoreException.Unreadable(path, $"is not a readable Parquet file of this campaign (truncated or corrupt?): {FirstLine(e.Message)}", e);
        }
    }

    /// <summary>
    /// What the Parquet library says went wrong, without the C++ type it wraps it in
    /// (<c>N7parquet38ParquetInvalidOrCorruptedFileExceptionE (message: '...')</c>): the first line,
    /// and of that the message alone.
    /// </summary>
    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        string line = end < 0 ? message : message[..end];
        System.Text.RegularExpressions.Match wrapped = System.Text.RegularExpressions.Regex.Match(line, @"\(message: '(?<text>.*)'\)\s*$");
        // The caller's sentence goes on after it: no full stop of its own.
        return (wrapped.Success ? wrapped.Groups["text"].Value : line).TrimEnd('.', ' ');
    }

    private sealed class ColumnFiller : IColumnVisitor
    {
        public ColumnReader Reader { get; set; } = null!;

        public int Rows { get; set; }

        public void Visit<T>(Cairn.Columns.Column<T> column)
        {
            if (column is Cairn.Columns.Column<Guid> uuids && Reader is ColumnReader<FixedLenByteArray> fixedLength
                && Reader.ColumnDescriptor.MaxDefinitionLevel == 0 && Reader.ColumnDescriptor.TypeLength == 16)
            {
                Uuids.Read(fixedLength, uuids.AppendSpan(Rows));
                return;
            }

            using LogicalColumnReader<T> reader = Reader.LogicalReader<T>();
            column.AppendRange(reader.ReadAll(Rows));
        }
    }

    private sealed class Writer : IShardFileWriter
    {
        private readonly ParquetFileWriter _file;
        private readonly ColumnWriterVisitor _visitor = new();

        /// <summary>The file's metadata: ParquetSharp reads it when the file closes, so entries added until then are written.</summary>
        private readonly Dictionary<string, string> _metadata;
        private bool _closed;

        public Writer(string path, IReadOnlyList<Column> schema, IReadOnlyDictionary<string, string> metadata)
        {
            var factory = new SchemaNodeFactory();
            Node[] nodes = schema.Select(c =>
            {
                c.Accept(factory);
                return factory.Result!;
            }).ToArray();
            using var root = new GroupNode("schema", Repetition.Required, nodes);
            using WriterProperties properties = Properties(schema);
            _metadata = metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
            _file = new ParquetFileWriter(path, root, properties, _metadata);
            foreach (Node node in nodes)
            {
                node.Dispose();
            }
        }

        public long Rows { get; private set; }

        /// <summary>
        /// Snappy for all but ids and keys; a CRC-32 checksum on every page, which readers verify; ids
        /// and keys neither compressed nor dictionary-encoded (they are random 16-byte hashes, every one
        /// new: Snappy gains no byte on them, and a dictionary costs time and bytes before Parquet gives
        /// up on it); times as deltas (rows are written in about the order they were made, so a delta
        /// takes a byte or two).
        /// </summary>
        private static WriterProperties Properties(IReadOnlyList<Column> schema)
        {
            using var builder = new WriterPropertiesBuilder();
            builder.MemoryPool(Pool).Compression(Compression.Snappy).EnablePageChecksum();
            foreach (Column column in schema)
            {
                if (column.ValueType == typeof(Guid))
                {
                    builder.DisableDictionary(column.Name).Compression(column.Name, Compression.Uncompressed);
                }
                else if (column.ValueType == typeof(DateTime))
                {
                    builder.DisableDictionary(column.Name).Encoding(column.Name, Encoding.DeltaBinaryPacked);
                }
            }

            return builder.Build();
        }

        public void Append(IReadOnlyList<Column> columns)
        {
            using RowGroupWriter group = _file.AppendRowGroup();
            foreach (Column column in columns)
            {
                using ColumnWriter writer = group.NextColumn();
                _visitor.Writer = writer;
                column.Accept(_visitor);
            }

            Rows += columns[0].Count;
        }

        public void Close(IReadOnlyDictionary<string, string>? completed = null)
        {
            _closed = true;
            foreach ((string key, string value) in completed ?? new Dictionary<string, string>())
            {
                _metadata[key] = value;
            }

            _file.Close();
        }

        public void Dispose()
        {
            if (!_closed)
            {
                try
                {
                    _file.Close();
                }
                catch (ParquetException)
                {
                    // Disposing an abandoned file: the caller deletes it; its error is not the one to report.
                }
            }

            _file.Dispose();
            _visitor.Dispose();
        }
    }

    private sealed class ColumnWriterVisitor : IColumnVisitor, IDisposable
    {
        private readonly NativeStrings _strings = new();

        public ColumnWriter Writer { get; set; } = null!;

        public void Visit<T>(Cairn.Columns.Column<T> column)
        {
            if (column is Cairn.Columns.Column<string> strings)
            {
                _strings.Write((ColumnWriter<ByteArray>)Writer, strings.Values);
            }
            else if (column is Cairn.Columns.Column<Guid[]> lists)
            {
                UuidLists.Write((ColumnWriter<FixedLenByteArray>)Writer, lists.Values);
            }
            else
            {
                using LogicalColumnWriter<T> writer = Writer.LogicalWriter<T>();
                writer.WriteBatch(column.Values);
            }
        }

        public void Dispose() => _strings.Dispose();
    }

    private sealed class SchemaNodeFactory : IColumnVisitor
    {
        public Node? Result { get; private set; }

        public void Visit<T>(Cairn.Columns.Column<T> column) =>
            Result = typeof(T) == typeof(Guid[]) ? UuidList(column.Name) : new ParquetSharp.Column<T>(column.Name).CreateSchemaNode();

        /// <summary>A list of UUIDs, spelled out: ParquetSharp's own node for <c>Guid[]</c> lacks the element's fixed length.</summary>
        private static GroupNode UuidList(string name)
        {
            using var element = new PrimitiveNode("element", Repetition.Required, LogicalType.Uuid(), PhysicalType.FixedLenByteArray, 16);
            using var list = new GroupNode("list", Repetition.Repeated, [element]);
            return new GroupNode(name, Repetition.Optional, [list], LogicalType.List());
        }
    }
}
