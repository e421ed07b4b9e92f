using System;
using System.Linq;
using Cairn.Storage.Hdf5;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>Cairn's Fletcher-32 against HDF5's own C function, transcribed word for word.</summary>
public sealed class Fletcher32Tests
{
    /// <summary>H5_checksum_fletcher32 (H5checksum.c), one word at a time.</summary>
    private static uint Reference(byte[] data)
    {
        int len = data.Length / 2;
        uint sum1 = 0, sum2 = 0;
        int at = 0;
        while (len > 0)
        {
            int tlen = len > 360 ? 360 : len;
            len -= tlen;
            do
            {
                sum1 += (uint)((data[at] << 8) | data[at + 1]);
                at += 2;
                sum2 += sum1;
            }
            while (--tlen > 0);
            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }

        if (data.Length % 2 != 0)
        {
            sum1 += (uint)(data[at] << 8);
            sum2 += sum1;
            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }

        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        return (sum2 << 16) | sum1;
    }

    public static TheoryData<string> Patterns => new() { "random", "ones", "zeros", "ramp" };

    private static byte[] Data(string pattern, int length, Random random)
    {
        byte[] data = new byte[length];
        switch (pattern)
        {
            case "random": random.NextBytes(data); break;
            case "ones": data.AsSpan().Fill(0xff); break;
            case "ramp": for (int i = 0; i < length; i++) { data[i] = (byte)(i * 7); } break;
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Every_length_around_the_vector_width_and_the_fold_block_gives_HDF5s_checksum(string pattern)
    {
        var random = new Random(15);
        int[] lengths = [.. Enumerable.Range(0, 100), .. Enumerable.Range(700, 50), .. Enumerable.Range(1430, 20), 1 << 20, (1 << 20) + 3, 819_201];
        foreach (int length in lengths)
        {
            byte[] data = Data(pattern, length, random);
            Assert.True(Reference(data) == Fletcher32.Of(data), $"{pattern} data of {length} bytes");
        }
    }

    [Fact]
    public void A_flipped_bit_anywhere_changes_the_checksum()
    {
        byte[] data = Data("random", 4096, new Random(3));
        uint before = Fletcher32.Of(data);
        foreach (int at in new[] { 0, 1, 31, 32, 719, 720, 4095 })
        {
            data[at] ^= 0x10;
            Assert.NotEqual(before, Fletcher32.Of(data));
            data[at] ^= 0x10;
        }
    }
}
