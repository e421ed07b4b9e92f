using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cairn.Columns;
using ParquetSharp;
using ParquetSharp.Schema;
using Column = Cairn.Columns.Column;

namespace Cairn.Storage;

/// <summary>Shards as Parquet files, one row group per appended batch, Snappy-compressed.</summary>
internal sealed class ParquetShardFormat : IShardFormat
{
    public static ParquetShardFormat Instance { get; } = new();

    public string Extension => ".parquet";

    public IShardFileWriter Create(string path, IReadOnlyList<Column> schema, IReadOnlyDictionary<string, string> metadata) =>
        new Writer(path, schema, metadata);

    public void Read(string path, IReadOnlyList<Column> columns, IReadOnlyList<string> schema)
    {
        try
        {
            using var file = new ParquetFileReader(path);
            FileMetaData meta = file.FileMetaData;
            var names = new Dictionary<string, int>(StringComparer.Ordinal);
            GroupNode root = meta.Schema.GroupNode;
            for (int i = 0; i < root.Fields.Length; i++)
            {
                names[root.Fields[i].Name] = i;
            }

            if (names.Count != schema.Count || schema.Any(name => !names.ContainsKey(name)))
            {
                throw StoreException.Unreadable(path,
                    $"has columns ({string.Join(", ", names.Keys)}) where this campaign expects ({string.Join(", ", schema)})");
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

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    private sealed class ColumnFiller : IColumnVisitor
    {
        public ColumnReader Reader { get; set; } = null!;

        public int Rows { get; set; }

        public void Visit<T>(Cairn.Columns.Column<T> column)
        {
            using LogicalColumnReader<T> reader = Reader.LogicalReader<T>();
            column.AppendRange(reader.ReadAll(Rows));
        }
    }

    private sealed class Writer : IShardFileWriter
    {
        private readonly ParquetFileWriter _file;
        private readonly ColumnWriterVisitor _visitor = new();
        private bool _closed;

        public Writer(string path, IReadOnlyList<Column> schema, IReadOnlyDictionary<string, string> metadata)
        {
            var factory = new SchemaColumnFactory();
            var parquetColumns = schema.Select(c =>
            {
                c.Accept(factory);
                return factory.Result!;
            }).ToArray();
            _file = new ParquetFileWriter(path, parquetColumns, Compression.Snappy, metadata.ToDictionary(kv => kv.Key, kv => kv.Value));
        }

        public long Rows { get; private set; }

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

        public void Close()
        {
            _closed = true;
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
        }
    }

    private sealed class ColumnWriterVisitor : IColumnVisitor
    {
        public ColumnWriter Writer { get; set; } = null!;

        public void Visit<T>(Cairn.Columns.Column<T> column)
        {
            using LogicalColumnWriter<T> writer = Writer.LogicalWriter<T>();
            writer.WriteBatch(column.Values);
        }
    }

    private sealed class SchemaColumnFactory : IColumnVisitor
    {
        public ParquetSharp.Column? Result { get; private set; }

        public void Visit<T>(Cairn.Columns.Column<T> column) => Result = new ParquetSharp.Column<T>(column.Name);
    }
}
