using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Cairn.Hosting;

namespace Cairn.Execution;

/// <summary>
/// Merkle keys of results. A per-point result's key is the hash of its step's code hash, its point id
/// and the keys of its inputs; a global result's key is the hash of its step's code hash and digests
/// of its inputs. So the key of every current result follows from the point id and the graph alone,
/// and a code change to one step changes the keys of that step and of everything downstream. A list
/// input's digest is a <see cref="KeyDigest"/> of its keys.
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

    /// <summary>
    /// What the chain of per-point step <paramref name="step"/> is: the key it gives a point whose id
    /// is zero. That key covers the step's code hash and, through its inputs' keys, those of all the
    /// steps upstream and how they connect, as every key does; so two graphs with the same signature
    /// give every point the same key (the chance of a collision is a 128-bit hash's), and a shard
    /// whose rows were all keyed under today's signature is current without hashing each row.
    /// </summary>
    public PointId Signature(int step)
    {
        Span<PointId> keys = stackalloc PointId[step + 1];
        Compute(default, keys, step + 1);
        return keys[step];
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

    private void Write(int slot, PointId value) => Write(_buffer, slot, value);

    private static void Write(byte[] buffer, int slot, PointId value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(buffer.AsSpan(16 * slot), value.High);
        BinaryPrimitives.WriteUInt64BigEndian(buffer.AsSpan((16 * slot) + 8), value.Low);
    }
}
