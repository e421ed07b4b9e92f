using System;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Cairn.Columns;

namespace Cairn.Storage.Hdf5;

/// <summary>
/// A column of strings: a dataset of variable-length strings. HDF5 filters (Fletcher-32 among them)
/// refuse such data, so the writer keeps an XxHash64 of the column's values in the dataset's
/// attribute <see cref="ChecksumAttribute"/> (each value as its UTF-8 length and bytes, -1 for
/// null), and a reader checks it: a flipped bit is an unreadable shard, never a wrong string.
/// </summary>
internal sealed class TextCodec(ElementType<string> element) : ColumnCodec
{
    public const string ChecksumAttribute = "cairn.xxhash64";

    public override IColumnWriter CreateWriter(Hid group, string name) => new Writer(CreateRows(group, name, element, []), element);

    public override void Read(Hid group, string name, Column column, NativeBuffer buffer)
    {
        using Hid dataset = OpenDataset(group, name);
        ulong rows = RowsOf(dataset, name, 1);
        var strings = (Column<string>)column;
        int start = strings.Count;
        Read(dataset, element, 0, strings.AppendSpan(checked((int)rows)), buffer);
        var hash = new XxHash64();
        Add(hash, strings.Values[start..]);
        if (Hdf5Objects.ReadAttribute(dataset, ChecksumAttribute) is string stored && stored != Hex(hash))
        {
            throw new Hdf5Exception($"the strings of '{name}' do not match their checksum (a flipped bit?)");
        }
    }

    private static void Add(XxHash64 hash, ReadOnlySpan<string> values)
    {
        Span<byte> length = stackalloc byte[4];
        foreach (string? value in values)
        {
            byte[] bytes = value is null ? [] : Encoding.UTF8.GetBytes(value);
            BinaryPrimitives.WriteInt32LittleEndian(length, value is null ? -1 : bytes.Length);
            hash.Append(length);
            hash.Append(bytes);
        }
    }

    private static string Hex(XxHash64 hash) => Convert.ToHexStringLower(hash.GetCurrentHash());

    private sealed class Writer(Hid dataset, ElementType<string> element) : IColumnWriter
    {
        private readonly XxHash64 _hash = new();

        public void Append(Column column, NativeBuffer buffer)
        {
            ReadOnlySpan<string> values = ((Column<string>)column).Values;
            Write(dataset, element, values, buffer);
            Add(_hash, values);
        }

        public void Dispose()
        {
            using (dataset)
            {
                Hdf5Objects.WriteAttribute(dataset, ChecksumAttribute, Hex(_hash));
            }
        }
    }
}
