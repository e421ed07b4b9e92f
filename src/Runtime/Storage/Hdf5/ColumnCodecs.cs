using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cairn.Columns;

namespace Cairn.Storage.Hdf5;

/// <summary>Writes one column into a shard file, batch after batch.</summary>
internal interface IColumnWriter : IDisposable
{
    void Append(Column column, NativeBuffer buffer);
}

/// <summary>
/// The layout of one column type in a shard's group: a scalar is a dataset of N; a nullable value
/// is a group of <c>values</c> and <c>valid</c>; an array whose rows all have one shape is a dataset
/// of N x shape, otherwise a group of flat <c>values</c>, <c>offsets</c> (N + 1, row i is
/// values[offsets[i]..offsets[i+1]]), <c>valid</c> (false for a null row) and, for 2-D arrays,
/// <c>shape</c> (N x 2).
/// </summary>
internal abstract class ColumnCodec
{
    /// <summary>Bytes gathered for a write or read at a time: bounds the native buffer, whose fresh pages cost more than the copy.</summary>
    protected const long BlockBytes = 8L << 20;

    public abstract IColumnWriter CreateWriter(Hid group, string name);

    /// <summary>Appends every row stored under <paramref name="name"/> to <paramref name="column"/>.</summary>
    /// <exception cref="Hdf5Exception">It is missing or not laid out as this column type is.</exception>
    public abstract void Read(Hid group, string name, Column column, NativeBuffer buffer);

    protected static Hid CreateRows<TElement>(Hid group, string name, ElementType<TElement> element, ReadOnlySpan<ulong> row)
    {
        Hid dataset = Hdf5Objects.CreateRows(group, name, element.Type, element.Size, row);
        if (element.Units is string units)
        {
            Hdf5Objects.WriteAttribute(dataset, "units", units);
        }

        return dataset;
    }

    /// <summary>Appends rows of <paramref name="width"/> values each.</summary>
    protected static unsafe void Write<TElement>(Hid dataset, ElementType<TElement> element, ReadOnlySpan<TElement> values, NativeBuffer buffer, int width = 1)
    {
        byte* memory = buffer.Get((long)values.Length * element.Size);
        try
        {
            element.Encode(values, memory, buffer);
            Hdf5Objects.AppendRows(dataset, element.Type, (ulong)(values.Length / width), memory);
        }
        finally
        {
            buffer.Reset();
        }
    }

    /// <summary>Reads rows from <paramref name="start"/> into <paramref name="target"/>, <paramref name="width"/> values per row.</summary>
    protected static unsafe void Read<TElement>(Hid dataset, ElementType<TElement> element, long start, Span<TElement> target, NativeBuffer buffer, int width = 1)
    {
        long rows = target.Length / width;
        long block = Math.Max(1, BlockBytes / ((long)element.Size * width));
        for (long done = 0; done < rows;)
        {
            int count = (int)Math.Min(block, rows - done);
            byte* memory = buffer.Get((long)count * width * element.Size);
            Hdf5Objects.ReadRows(dataset, element.Type, (ulong)(start + done), (ulong)count, memory);
            element.Decode(memory, target.Slice((int)done * width, count * width));
            element.Release(memory, count * width);
            done += count;
        }
    }

    protected static ulong RowsOf(Hid dataset, string name, int rank)
    {
        ulong[] dimensions = Hdf5Objects.Dimensions(dataset);
        return dimensions.Length == rank
            ? dimensions[0]
            : throw new Hdf5Exception($"'{name}' has {dimensions.Length} axes where {rank} are expected");
    }

    protected static Hid OpenDataset(Hid group, string name)
    {
        Hid item = Hdf5Objects.Open(group, name);
        if (Hdf5Objects.IsGroup(item))
        {
            item.Dispose();
            throw new Hdf5Exception($"'{name}' is a group where a dataset is expected");
        }

        return item;
    }
}

/// <summary>A column of single values: a dataset of N.</summary>
internal sealed class ScalarCodec<TElement>(ElementType<TElement> element) : ColumnCodec
{
    public override IColumnWriter CreateWriter(Hid group, string name) => new Writer(CreateRows(group, name, element, []), element);

    public override void Read(Hid group, string name, Column column, NativeBuffer buffer)
    {
        using Hid dataset = OpenDataset(group, name);
        ulong rows = RowsOf(dataset, name, 1);
        Read(dataset, element, 0, ((Column<TElement>)column).AppendSpan(checked((int)rows)), buffer);
    }

    private sealed class Writer(Hid dataset, ElementType<TElement> element) : IColumnWriter
    {
        public void Append(Column column, NativeBuffer buffer) => Write(dataset, element, ((Column<TElement>)column).Values, buffer);

        public void Dispose() => dataset.Dispose();
    }
}

/// <summary>A column of nullable values: a group of <c>values</c> (default where null) and <c>valid</c>.</summary>
internal sealed class NullableCodec<TElement>(ElementType<TElement> element, ElementType<bool> flags) : ColumnCodec
    where TElement : struct
{
    public override IColumnWriter CreateWriter(Hid group, string name)
    {
        using Hid inner = Hdf5Objects.CreateGroup(group, name);
        return new Writer(CreateRows(inner, "values", element, []), CreateRows(inner, "valid", flags, []), element, flags);
    }

    public override void Read(Hid group, string name, Column column, NativeBuffer buffer)
    {
        using Hid inner = Hdf5Objects.Open(group, name);
        using Hid values = OpenDataset(inner, "values");
        using Hid valid = OpenDataset(inner, "valid");
        int rows = checked((int)RowsOf(valid, name + "/valid", 1));
        if (RowsOf(values, name + "/values", 1) != (ulong)rows)
        {
            throw new Hdf5Exception($"'{name}' has {rows} flags for a different number of values");
        }

        var stored = new TElement[rows];
        var present = new bool[rows];
        Read(values, element, 0, stored, buffer);
        Read(valid, flags, 0, present, buffer);
        Span<TElement?> target = ((Column<TElement?>)column).AppendSpan(rows);
        for (int i = 0; i < rows; i++)
        {
            target[i] = present[i] ? stored[i] : null;
        }
    }

    private sealed class Writer(Hid values, Hid valid, ElementType<TElement> element, ElementType<bool> flags) : IColumnWriter
    {
        private TElement[] _values = [];
        private bool[] _valid = [];

        public void Append(Column column, NativeBuffer buffer)
        {
            ReadOnlySpan<TElement?> rows = ((Column<TElement?>)column).Values;
            if (_values.Length < rows.Length)
            {
                _values = new TElement[rows.Length];
                _valid = new bool[rows.Length];
            }

            for (int i = 0; i < rows.Length; i++)
            {
                _values[i] = rows[i].GetValueOrDefault();
                _valid[i] = rows[i].HasValue;
            }

            Write(values, element, _values.AsSpan(0, rows.Length), buffer);
            Write(valid, flags, _valid.AsSpan(0, rows.Length), buffer);
        }

        public void Dispose()
        {
            values.Dispose();
            valid.Dispose();
        }
    }
}

/// <summary>
/// A column of arrays of rank <see cref="Rank"/>: N x shape when every row has one shape, else
/// ragged. The choice is made on the first batch; a later batch that does not fit turns the
/// shard's dataset ragged (rows copied, nothing lost).
/// </summary>
internal abstract class TensorCodec<TElement, TArray>(ElementType<TElement> element, ElementType<bool> flags, ElementType<long> integers) : ColumnCodec
    where TArray : class
{
    protected abstract int Rank { get; }

    protected abstract void Shape(TArray row, Span<ulong> shape);

    protected abstract Span<TElement> Elements(TArray row);

    protected abstract TArray Create(ReadOnlySpan<ulong> shape);

    public override IColumnWriter CreateWriter(Hid group, string name) => new Writer(this, group, name);

    public override unsafe void Read(Hid group, string name, Column column, NativeBuffer buffer)
    {
        var target = (Column<TArray>)column;
        using Hid item = Hdf5Objects.Open(group, name);
        if (!Hdf5Objects.IsGroup(item))
        {
            ulong[] dimensions = Hdf5Objects.Dimensions(item);
            if (dimensions.Length != 1 + Rank)
            {
                throw new Hdf5Exception($"'{name}' has {dimensions.Length} axes where {1 + Rank} are expected");
            }

            ReadOnlySpan<ulong> shape = dimensions.AsSpan(1);
            long length = Length(shape);
            long block = Math.Max(1, BlockBytes / Math.Max(1, length * element.Size));
            for (ulong start = 0; start < dimensions[0];)
            {
                int count = (int)Math.Min((ulong)block, dimensions[0] - start);
                byte* memory = buffer.Get(count * length * element.Size);
                Hdf5Objects.ReadRows(item, element.Type, start, (ulong)count, memory);
                for (int i = 0; i < count; i++)
                {
                    TArray row = Create(shape);
                    element.Decode(memory + (i * length * element.Size), Elements(row));
                    target.Append(row);
                }

                element.Release(memory, (int)(count * length));
                start += (ulong)count;
            }

            return;
        }

        using Hid values = OpenDataset(item, "values");
        using Hid offsetSet = OpenDataset(item, "offsets");
        using Hid validSet = OpenDataset(item, "valid");
        int rows = checked((int)RowsOf(validSet, name + "/valid", 1));
        var offsets = new long[rows + 1];
        var valid = new bool[rows];
        var shapes = new long[rows * Rank];
        Read(offsetSet, integers, 0, offsets, buffer);
        Read(validSet, flags, 0, valid, buffer);
        if (Rank > 1)
        {
            using Hid shapeSet = OpenDataset(item, "shape");
            Read(shapeSet, integers, 0, shapes, buffer, Rank);
        }

        Span<ulong> rowShape = stackalloc ulong[Rank];
        for (int first = 0; first < rows;)
        {
            int last = first;
            while (last < rows && (last == first || (offsets[last + 1] - offsets[first]) * element.Size <= BlockBytes))
            {
                last++;
            }

            long count = offsets[last] - offsets[first];
            byte* memory = buffer.Get(count * element.Size);
            Hdf5Objects.ReadRows(values, element.Type, (ulong)offsets[first], (ulong)count, memory);
            for (int i = first; i < last; i++)
            {
                if (!valid[i])
                {
                    target.Append(null!);
                    continue;
                }

                for (int axis = 0; axis < Rank; axis++)
                {
                    rowShape[axis] = Rank == 1 ? (ulong)(offsets[i + 1] - offsets[i]) : (ulong)shapes[(i * Rank) + axis];
                }

                TArray row = Create(rowShape);
                if (Length(rowShape) != offsets[i + 1] - offsets[i])
                {
                    throw new Hdf5Exception($"row {i} of '{name}' has a shape that does not match its offsets");
                }

                element.Decode(memory + ((offsets[i] - offsets[first]) * element.Size), Elements(row));
                target.Append(row);
            }

            element.Release(memory, (int)count);
            first = last;
        }
    }

    private static long Length(ReadOnlySpan<ulong> shape)
    {
        long length = 1;
        foreach (ulong extent in shape)
        {
            length *= (long)extent;
        }

        return length;
    }

    private sealed unsafe class Writer(TensorCodec<TElement, TArray> codec, Hid group, string name) : IColumnWriter
    {
        private readonly ulong[] _fixed = new ulong[codec.Rank];
        private Hid? _rows;
        private Hid? _values;
        private Hid? _offsets;
        private Hid? _valid;
        private Hid? _shape;
        private long _written;
        private long _elements;
        private long[] _longs = [];
        private bool[] _flags = [];

        public void Append(Column column, NativeBuffer buffer)
        {
            var typed = (Column<TArray>)column;
            ReadOnlySpan<TArray> rows = typed.Values;
            if (rows.Length == 0)
            {
                return;
            }

            if (_rows is null && _values is null)
            {
                if (OneShape(rows, first: true))
                {
                    _rows = CreateRows(group, name, codec.Element, _fixed);
                }
                else
                {
                    CreateRagged();
                }
            }
            else if (_rows is not null && !OneShape(rows, first: false))
            {
                MakeRagged(buffer);
            }

            if (_rows is not null)
            {
                WriteFixed(rows, buffer);
            }
            else
            {
                WriteRagged(typed, buffer);
            }

            _written += rows.Length;
        }

        /// <summary>Whether every row is non-null with the shape of the first (or of the fixed dataset), and not empty.</summary>
        private bool OneShape(ReadOnlySpan<TArray> rows, bool first)
        {
            Span<ulong> shape = stackalloc ulong[codec.Rank];
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i] is null)
                {
                    return false;
                }

                codec.Shape(rows[i], shape);
                if (first && i == 0)
                {
                    shape.CopyTo(_fixed);
                    if (Length(shape) == 0)
                    {
                        return false;
                    }
                }
                else if (!shape.SequenceEqual(_fixed))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Gathers the rows into native memory and appends them, a block of whole chunks at a time
        /// (blocks end at multiples of the block size in the dataset, so that the chunks between two
        /// batches are written once, whole): a small buffer, reused, stays in the cache and costs no
        /// page faults, which on a VM are dearer than the copy.
        /// </summary>
        private void WriteFixed(ReadOnlySpan<TArray> rows, NativeBuffer buffer)
        {
            long length = Length(_fixed) * codec.Element.Size;
            long chunk = (long)Hdf5Objects.ChunkRows((ulong)length);
            long block = chunk * Math.Max(1, BlockBytes / (chunk * length));
            for (int done = 0; done < rows.Length;)
            {
                int count = (int)Math.Min(rows.Length - done, block - ((_written + done) % block));
                byte* memory = buffer.Get(count * length);
                try
                {
                    for (int i = 0; i < count; i++)
                    {
                        codec.Element.Encode(codec.Elements(rows[done + i]), memory + (i * length), buffer);
                    }

                    Hdf5Objects.AppendRows(_rows!, codec.Element.Type, (ulong)count, memory);
                }
                finally
                {
                    buffer.Reset();
                }

                done += count;
            }
        }

        private void CreateRagged()
        {
            using Hid inner = Hdf5Objects.CreateGroup(group, name);
            _values = CreateRows(inner, "values", codec.Element, []);
            _offsets = CreateRows(inner, "offsets", codec.Integers, []);
            _valid = CreateRows(inner, "valid", codec.Flags, []);
            if (codec.Rank > 1)
            {
                _shape = CreateRows(inner, "shape", codec.Integers, [(ulong)codec.Rank]);
            }

            long zero = 0;
            Hdf5Objects.AppendRows(_offsets, codec.Integers.Type, 1, &zero);
        }

        /// <summary>Appends the rows' elements to <c>values</c>, about a block at a time, then their index.</summary>
        private void WriteRagged(Column<TArray> column, NativeBuffer buffer)
        {
            ReadOnlySpan<TArray> rows = column.Values;
            for (int first = 0; first < rows.Length;)
            {
                long count = 0;
                int last = first;
                for (; last < rows.Length && (last == first || (count * codec.Element.Size) < BlockBytes); last++)
                {
                    count += rows[last] is null ? 0 : codec.Elements(rows[last]).Length;
                }

                byte* memory = buffer.Get(count * codec.Element.Size);
                try
                {
                    long at = 0;
                    for (int i = first; i < last; i++)
                    {
                        if (rows[i] is not null)
                        {
                            Span<TElement> elements = codec.Elements(rows[i]);
                            codec.Element.Encode(elements, memory + (at * codec.Element.Size), buffer);
                            at += elements.Length;
                        }
                    }

                    Hdf5Objects.AppendRows(_values!, codec.Element.Type, (ulong)count, memory);
                }
                finally
                {
                    buffer.Reset();
                }

                first = last;
            }

            AppendIndex(rows.Length, (i, shape) =>
            {
                if (column[i] is not { } row)
                {
                    return false;
                }

                codec.Shape(row, shape);
                return true;
            }, buffer);
        }

        /// <summary>
        /// Appends the <c>offsets</c>, <c>valid</c> and (2-D) <c>shape</c> of <paramref name="count"/>
        /// rows; <paramref name="shapeOf"/> gives row i's shape, or false for a null row.
        /// </summary>
        private void AppendIndex(int count, RowShape shapeOf, NativeBuffer buffer)
        {
            if (_longs.Length < count * codec.Rank || _flags.Length < count)
            {
                _longs = new long[count * codec.Rank];
                _flags = new bool[count];
            }

            Span<ulong> shape = stackalloc ulong[codec.Rank];
            for (int i = 0; i < count; i++)
            {
                shape.Clear();
                _flags[i] = shapeOf(i, shape);
                _elements += _flags[i] ? Length(shape) : 0;
                _longs[i] = _elements;
            }

            Write(_offsets!, codec.Integers, _longs.AsSpan(0, count), buffer);
            Write(_valid!, codec.Flags, _flags.AsSpan(0, count), buffer);
            if (_shape is not null)
            {
                for (int i = 0; i < count; i++)
                {
                    shape.Clear();
                    shapeOf(i, shape);
                    for (int axis = 0; axis < codec.Rank; axis++)
                    {
                        _longs[(i * codec.Rank) + axis] = (long)shape[axis];
                    }
                }

                Write(_shape, codec.Integers, _longs.AsSpan(0, count * codec.Rank), buffer, codec.Rank);
            }
        }

        /// <summary>Turns the fixed dataset written so far into the ragged layout, copying its rows.</summary>
        private void MakeRagged(NativeBuffer buffer)
        {
            string aside = "." + name + ".fixed";
            Hdf5Objects.Move(group, name, aside);
            CreateRagged();
            long length = Length(_fixed);
            long block = Math.Max(1, BlockBytes / Math.Max(1, length * codec.Element.Size));
            for (long start = 0; start < _written;)
            {
                int count = (int)Math.Min(block, _written - start);
                byte* memory = buffer.Get(count * length * codec.Element.Size);
                Hdf5Objects.ReadRows(_rows!, codec.Element.Type, (ulong)start, (ulong)count, memory);
                Hdf5Objects.AppendRows(_values!, codec.Element.Type, (ulong)(count * length), memory);
                codec.Element.Release(memory, (int)(count * length));
                AppendIndex(count, (_, shape) =>
                {
                    _fixed.CopyTo(shape);
                    return true;
                }, buffer);
                start += count;
            }

            _rows!.Dispose();
            _rows = null;
            Hdf5Objects.Delete(group, aside);
        }

        public void Dispose()
        {
            _rows?.Dispose();
            _values?.Dispose();
            _offsets?.Dispose();
            _valid?.Dispose();
            _shape?.Dispose();
        }
    }

    /// <summary>Fills a row's shape; false for a null row.</summary>
    private delegate bool RowShape(int row, Span<ulong> shape);

    private ElementType<TElement> Element => element;

    private ElementType<bool> Flags => flags;

    private ElementType<long> Integers => integers;
}

/// <summary>1-D arrays: N x length, or ragged.</summary>
internal sealed class VectorCodec<TElement>(ElementType<TElement> element, ElementType<bool> flags, ElementType<long> integers)
    : TensorCodec<TElement, TElement[]>(element, flags, integers)
{
    protected override int Rank => 1;

    protected override void Shape(TElement[] row, Span<ulong> shape) => shape[0] = (ulong)row.Length;

    protected override Span<TElement> Elements(TElement[] row) => row;

    protected override TElement[] Create(ReadOnlySpan<ulong> shape) => new TElement[shape[0]];
}

/// <summary>2-D arrays (<c>double[,]</c>): N x rows x columns, or ragged with a <c>shape</c> dataset.</summary>
internal sealed class MatrixCodec<TElement>(ElementType<TElement> element, ElementType<bool> flags, ElementType<long> integers)
    : TensorCodec<TElement, TElement[,]>(element, flags, integers)
{
    protected override int Rank => 2;

    protected override void Shape(TElement[,] row, Span<ulong> shape)
    {
        shape[0] = (ulong)row.GetLength(0);
        shape[1] = (ulong)row.GetLength(1);
    }

    protected override Span<TElement> Elements(TElement[,] row) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, TElement>(ref MemoryMarshal.GetArrayDataReference(row)), row.Length);

    protected override TElement[,] Create(ReadOnlySpan<ulong> shape) => new TElement[shape[0], shape[1]];
}

/// <summary>The codec of every column type HDF5 shards store.</summary>
internal static class ColumnCodecs
{
    private static Dictionary<Type, ColumnCodec>? s_codecs;

    /// <summary>The codec for columns of <paramref name="type"/>. Call under the lock after loading.</summary>
    public static ColumnCodec For(Type type)
    {
        s_codecs ??= Build();
        return s_codecs.TryGetValue(type, out ColumnCodec? codec)
            ? codec
            : throw new NotSupportedException($"HDF5 shards cannot store columns of {type}");
    }

    private static Dictionary<Type, ColumnCodec> Build()
    {
        var flags = new Blittable<bool>(ElementTypes.Bool);
        var integers = new Blittable<long>(Hdf5Library.NativeInt64);
        var codecs = new Dictionary<Type, ColumnCodec>();
        void Add<TElement>(ElementType<TElement> element)
        {
            codecs[typeof(TElement)] = new ScalarCodec<TElement>(element);
            codecs[typeof(TElement[])] = new VectorCodec<TElement>(element, flags, integers);
            codecs[typeof(TElement[,])] = new MatrixCodec<TElement>(element, flags, integers);
        }

        void AddValue<TElement>(ElementType<TElement> element)
            where TElement : struct
        {
            Add(element);
            codecs[typeof(TElement?)] = new NullableCodec<TElement>(element, flags);
        }

        AddValue(flags);
        AddValue(new Blittable<sbyte>(Hdf5Library.NativeInt8));
        AddValue(new Blittable<byte>(Hdf5Library.NativeUInt8));
        AddValue(new Blittable<short>(Hdf5Library.NativeInt16));
        AddValue(new Blittable<ushort>(Hdf5Library.NativeUInt16));
        AddValue(new Blittable<int>(Hdf5Library.NativeInt32));
        AddValue(new Blittable<uint>(Hdf5Library.NativeUInt32));
        AddValue(integers);
        AddValue(new Blittable<ulong>(Hdf5Library.NativeUInt64));
        AddValue(new Blittable<float>(Hdf5Library.NativeFloat));
        AddValue(new Blittable<double>(Hdf5Library.NativeDouble));
        AddValue(new Blittable<Complex>(ElementTypes.Complex));
        AddValue(new Times());
        var strings = new Strings();
        Add(strings);
        codecs[typeof(string)] = new TextCodec(strings);
        codecs[typeof(Guid)] = new ScalarCodec<Guid>(new Ids());
        return codecs;
    }
}
