using System;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using Cairn.Hosting;

namespace Cairn.Execution;

/// <summary>
/// Merkle keys of results. A per-point result's key is the hash of its step's code hash, its point id
/// and the keys of its inputs; a global result's key is the hash of its step's code hash and digests
/// of its inputs. So the key of every current result follows from the point id and the graph alone,
/// and a code change to one step changes the keys of that step and of everything downstream.
/// Keys are 128-bit XxHash values, like point ids, and share their type.
/// </summary>
internal sealed class KeyChain
{
    private readonly PointId[] _codeHashes;
    private readonly int[][] _inputs;
    private readonly byte[] _buffer;
    private readonly PointId[] _scratch;

    public KeyChain(CampaignGraph graph)
    {
        _codeHashes = new PointId[graph.Steps.Count];
        for (int i = 0; i < _codeHashes.Length; i++)
        {
            _codeHashes[i] = PointId.TryParse(graph.Steps[i].CodeHash, out PointId hash)
                ? hash
                : PointId.Of(System.Text.Encoding.UTF8.GetBytes(graph.Steps[i].CodeHash));
        }

        _inputs = [.. graph.InputSteps];
        PerPointCount = graph.PerPointCount;
        _scratch = new PointId[PerPointCount];
        int widest = 0;
        foreach (int[] inputs in _inputs)
        {
            widest = Math.Max(widest, inputs.Length);
        }

        _buffer = new byte[16 * (2 + widest)];
    }

    public int PerPointCount { get; }

    /// <summary>Fills <paramref name="keys"/>[0..steps) with the current keys of a point's per-point results. Not thread-safe: one chain per thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(PointId point, Span<PointId> keys, int steps)
    {
        for (int step = 0; step < steps; step++)
        {
            Write(0, _codeHashes[step]);
            Write(1, point);
            int[] inputs = _inputs[step];
            for (int i = 0; i < inputs.Length; i++)
            {
                Write(2 + i, keys[inputs[i]]);
            }

            keys[step] = PointId.Of(_buffer.AsSpan(0, 16 * (2 + inputs.Length)));
        }
    }

    /// <summary>Whether a stored per-point row of step <paramref name="step"/> is the current code's result for its point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsCurrent(Guid point, Guid key, int step)
    {
        Compute(PointId.FromGuid(point), _scratch, step + 1);
        return _scratch[step].ToGuid() == key;
    }

    /// <summary>The key of a global result from the digests of its inputs, in parameter order.</summary>
    public PointId Global(int step, ReadOnlySpan<PointId> inputDigests)
    {
        var bytes = new byte[16 * (1 + inputDigests.Length)];
        Write(bytes, 0, _codeHashes[step]);
        for (int i = 0; i < inputDigests.Length; i++)
        {
            Write(bytes, 1 + i, inputDigests[i]);
        }

        return PointId.Of(bytes);
    }

    /// <summary>
    /// The digest of a list input: the hash of its keys sorted (the map's identity does not depend
    /// on the order the points were listed or stored in). Sorts <paramref name="keys"/> in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PointId Digest(Span<PointId> keys)
    {
        Sort(keys);
        var hash = new XxHash128();
        Span<byte> block = stackalloc byte[16 * 1024];
        int used = 0;
        foreach (PointId key in keys)
        {
            BinaryPrimitives.WriteUInt64BigEndian(block[used..], key.High);
            BinaryPrimitives.WriteUInt64BigEndian(block[(used + 8)..], key.Low);
            used += 16;
            if (used == block.Length)
            {
                hash.Append(block);
                used = 0;
            }
        }

        hash.Append(block[..used]);
        UInt128 value = hash.GetCurrentHashAsUInt128();
        return new PointId((ulong)(value >> 64), (ulong)value);
    }

    /// <summary>
    /// Sorts keys by value. Keys are hashes, spread evenly, so a counting pass on their top 16 bits
    /// leaves buckets of a few keys each to sort: for 10^6 keys several times faster than a
    /// comparison sort.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Sort(Span<PointId> keys)
    {
        const int Bits = 16;
        if (keys.Length < 1 << Bits)
        {
            keys.Sort();
            return;
        }

        int[] starts = new int[(1 << Bits) + 1];
        foreach (PointId key in keys)
        {
            starts[(int)(key.High >> (64 - Bits)) + 1]++;
        }

        for (int bucket = 1; bucket < starts.Length; bucket++)
        {
            starts[bucket] += starts[bucket - 1];
        }

        using var sorted = new NativeArray<PointId>(keys.Length);
        Span<PointId> target = sorted.Span;
        int[] next = starts[..^1];
        foreach (PointId key in keys)
        {
            target[next[(int)(key.High >> (64 - Bits))]++] = key;
        }

        for (int bucket = 0; bucket < starts.Length - 1; bucket++)
        {
            target[starts[bucket]..starts[bucket + 1]].Sort();
        }

        target.CopyTo(keys);
    }

    private void Write(int slot, PointId value) => Write(_buffer, slot, value);

    private static void Write(byte[] buffer, int slot, PointId value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(buffer.AsSpan(16 * slot), value.High);
        BinaryPrimitives.WriteUInt64BigEndian(buffer.AsSpan((16 * slot) + 8), value.Low);
    }
}
