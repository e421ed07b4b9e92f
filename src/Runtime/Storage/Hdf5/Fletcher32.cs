using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cairn.Storage.Hdf5;

/// <summary>
/// HDF5's Fletcher-32 checksum of a chunk, bit for bit as <c>H5_checksum_fletcher32</c> computes it:
/// big-endian 16-bit words, summed in blocks of 360 words after each of which both sums are folded
/// (<c>x = (x &amp; 0xffff) + (x &gt;&gt; 16)</c>), an odd last byte as the high byte of a word, one
/// more fold at the end. The filter appends it little-endian.
/// </summary>
/// <remarks>
/// Within a block there is no fold, so a block of <c>n</c> words <c>w_1..w_n</c> moves the sums by
/// whole-block totals: <c>sum1 += S</c> and <c>sum2 += n*sum1 + (n+1)*S - U</c>, where
/// <c>S = Σ w_i</c> and <c>U = Σ i*w_i</c>. Those two totals are what the vector loop computes, 16
/// words at a time; the folds then happen exactly where HDF5 does them. All arithmetic wraps modulo
/// 2^32 as HDF5's <c>uint32_t</c> sums do, so the result is the same even where they would overflow.
/// </remarks>
internal static class Fletcher32
{
    /// <summary>The words HDF5 sums between two folds.</summary>
    private const int BlockWords = 360;

    public static uint Of(ReadOnlySpan<byte> data)
    {
        uint sum1 = 0;
        uint sum2 = 0;
        ReadOnlySpan<byte> words = data[..(data.Length & ~1)];
        while (!words.IsEmpty)
        {
            int n = Math.Min(words.Length / 2, BlockWords);
            (uint s, uint u) = Totals(words[..(2 * n)]);
            sum2 += ((uint)n * sum1) + ((uint)(n + 1) * s) - u;
            sum1 += s;
            sum1 = Fold(sum1);
            sum2 = Fold(sum2);
            words = words[(2 * n)..];
        }

        if (data.Length % 2 != 0)
        {
            sum1 += (uint)data[^1] << 8;
            sum2 += sum1;
            sum1 = Fold(sum1);
            sum2 = Fold(sum2);
        }

        return (Fold(sum2) << 16) | Fold(sum1);
    }

    private static uint Fold(uint sum) => (sum & 0xffff) + (sum >> 16);

    /// <summary>S = Σ w_i and U = Σ i*w_i (i from 1) over the big-endian words of one block.</summary>
    private static (uint S, uint U) Totals(ReadOnlySpan<byte> bytes)
    {
        uint s = 0;
        uint u = 0;
        int i = 0;
        ReadOnlySpan<ushort> block = MemoryMarshal.Cast<byte, ushort>(bytes);
        if (BitConverter.IsLittleEndian && Vector256.IsHardwareAccelerated && block.Length >= Vector256<ushort>.Count)
        {
            Vector256<uint> sums = Vector256<uint>.Zero;
            Vector256<uint> weighted = Vector256<uint>.Zero;
            Vector256<uint> low = Vector256.Create(1u, 2, 3, 4, 5, 6, 7, 8);
            Vector256<uint> high = low + Vector256.Create(8u);
            Vector256<uint> step = Vector256.Create((uint)Vector256<ushort>.Count);
            ref ushort start = ref MemoryMarshal.GetReference(block);
            for (; i <= block.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                Vector256<ushort> v = Vector256.LoadUnsafe(ref Unsafe.Add(ref start, i));
                v = Vector256.ShiftLeft(v, 8) | Vector256.ShiftRightLogical(v, 8);
                (Vector256<uint> lower, Vector256<uint> upper) = Vector256.Widen(v);
                sums += lower + upper;
                weighted += (lower * low) + (upper * high);
                low += step;
                high += step;
            }

            s = Vector256.Sum(sums);
            u = Vector256.Sum(weighted);
        }

        for (; i < block.Length; i++)
        {
            uint w = BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * i)..]);
            s += w;
            u += (uint)(i + 1) * w;
        }

        return (s, u);
    }
}
