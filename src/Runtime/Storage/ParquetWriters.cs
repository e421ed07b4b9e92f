using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ParquetSharp;

namespace Cairn.Storage;

/// <summary>
/// Writes string columns without encoding every value again: the UTF-8 bytes of the first distinct
/// strings (a step's name, a host, a status) are kept in native memory and reused by reference, so
/// a column that repeats a few strings costs a lookup per row. Other strings are encoded per batch.
/// </summary>
internal sealed class NativeStrings : IDisposable
{
    private const int MaxCached = 1024;
    private readonly Dictionary<string, ByteArray> _cache = new(ReferenceEqualityComparer.Instance);
    private readonly List<IntPtr> _memory = [];
    private short[] _levels = [];
    private ByteArray[] _values = [];

    public void Write(ColumnWriter<ByteArray> writer, ReadOnlySpan<string> strings)
    {
        if (_levels.Length < strings.Length)
        {
            _levels = new short[strings.Length];
            _values = new ByteArray[strings.Length];
        }

        var batch = new List<IntPtr>();
        try
        {
            int count = 0;
            for (int i = 0; i < strings.Length; i++)
            {
                string? value = strings[i];
                _levels[i] = (short)(value is null ? 0 : 1);
                if (value is not null)
                {
                    _values[count++] = Bytes(value, batch);
                }
            }

            writer.WriteBatch(strings.Length, _levels.AsSpan(0, strings.Length), null, _values.AsSpan(0, count));
        }
        finally
        {
            foreach (IntPtr memory in batch)
            {
                Marshal.FreeHGlobal(memory);
            }
        }
    }

    private ByteArray Bytes(string value, List<IntPtr> batch)
    {
        if (_cache.TryGetValue(value, out ByteArray cached))
        {
            return cached;
        }

        int length = System.Text.Encoding.UTF8.GetByteCount(value);
        IntPtr memory = Marshal.AllocHGlobal(Math.Max(1, length));
        unsafe
        {
            System.Text.Encoding.UTF8.GetBytes(value, new Span<byte>((void*)memory, length));
        }

        var bytes = new ByteArray(memory, length);
        if (_cache.Count < MaxCached)
        {
            _cache.Add(value, bytes);
            _memory.Add(memory);
        }
        else
        {
            batch.Add(memory);
        }

        return bytes;
    }

    public void Dispose()
    {
        foreach (IntPtr memory in _memory)
        {
            Marshal.FreeHGlobal(memory);
        }

        _memory.Clear();
        _cache.Clear();
    }
}

/// <summary>
/// Writes a list-of-UUID column with its repetition and definition levels directly: ParquetSharp's
/// logical writer for <c>Guid[]</c> builds a nested buffer per row, ten times slower.
/// Levels: 0 = null list, 1 = empty list, 2 = an element; repetition 1 = another element of the same row.
/// </summary>
internal static class UuidLists
{
    public static void Write(ColumnWriter<FixedLenByteArray> writer, ReadOnlySpan<Guid[]> rows)
    {
        int levels = 0;
        int elements = 0;
        foreach (Guid[] row in rows)
        {
            levels += row is null || row.Length == 0 ? 1 : row.Length;
            elements += row?.Length ?? 0;
        }

        var definition = new short[levels];
        var repetition = new short[levels];
        var values = new FixedLenByteArray[elements];
        byte[] bytes = new byte[Math.Max(1, 16 * elements)];
        unsafe
        {
            fixed (byte* start = bytes)
            {
                int level = 0;
                int element = 0;
                foreach (Guid[] row in rows)
                {
                    if (row is null || row.Length == 0)
                    {
                        definition[level++] = (short)(row is null ? 0 : 1);
                        continue;
                    }

                    for (int i = 0; i < row.Length; i++)
                    {
                        definition[level] = 2;
                        repetition[level++] = (short)(i == 0 ? 0 : 1);
                        row[i].TryWriteBytes(bytes.AsSpan(16 * element), bigEndian: true, out _);
                        values[element] = new FixedLenByteArray((IntPtr)(start + (16 * element)));
                        element++;
                    }
                }

                writer.WriteBatch(levels, definition, repetition, values);
            }
        }
    }
}

/// <summary>
/// Reads a required UUID column from its physical values: ParquetSharp's logical reader for
/// <see cref="Guid"/> converts value by value, which made reading the key columns of 10^6 results
/// take a quarter of a second.
/// </summary>
internal static class Uuids
{
    private const int Batch = 4096;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Read(ColumnReader<FixedLenByteArray> reader, Span<Guid> target)
    {
        var values = new FixedLenByteArray[Batch];
        int filled = 0;
        while (filled < target.Length)
        {
            long read = reader.ReadBatch(Math.Min(Batch, target.Length - filled), values, out long valuesRead);
            if (read == 0 || valuesRead != read)
            {
                throw new InvalidOperationException($"a UUID column ended after {filled} of {target.Length} rows");
            }

            unsafe
            {
                for (int i = 0; i < valuesRead; i++)
                {
                    target[filled + i] = new Guid(new ReadOnlySpan<byte>((void*)values[i].Pointer, 16), bigEndian: true);
                }
            }

            filled += (int)valuesRead;
        }
    }
}
