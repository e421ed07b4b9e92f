using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Text.Json;
using Cairn.Columns;
using Cairn.Storage;
using Cairn.Storage.Hdf5;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>HDF5 shards through the real library, read back by Cairn and by h5py and h5dump.</summary>
public sealed class Hdf5Tests : IDisposable
{
    private static readonly Dictionary<string, string> Metadata = new() { ["cairn.content"] = "psi", ["cairn.code_hash"] = "abc123" };

    private readonly TempStore _dir = new();

    public Hdf5Tests() => Directory.CreateDirectory(_dir.Root);

    public void Dispose() => _dir.Dispose();

    private static Column<T> Make<T>(string name, params T[] values)
    {
        var column = new Column<T>(name);
        column.AppendRange(values);
        return column;
    }

    /// <summary>Two batches of every column type the store knows; the second batch breaks the first's array shapes.</summary>
    private static (Column[] First, Column[] Second) Batches()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();
        Column[] first =
        [
            Make("point_id", a, b),
            Make("flag", true, false),
            Make("small", (sbyte)-3, (sbyte)4),
            Make("count", 7, -8),
            Make("big", ulong.MaxValue, 0UL),
            Make("ratio", 1.5f, -2.25f),
            Make("energy", -1.25, double.NaN),
            Make("amplitude", new Complex(1, -2), new Complex(0.5, 3)),
            Make("label", "Mott ünïcode", null!),
            Make("stamp", new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc), new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            Make<double?>("maybe", 2.5, null),
            Make<DateTime?>("when", null, new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc)),
            Make("psi", new[] { 1.0, 2, 3 }, [4.0, 5, 6]),
            Make("spins", new[] { true, false }, [false, true]),
            Make("modes", new[] { new Complex(1, 1) }, [new Complex(2, -2)]),
            Make("names", new[] { "up", "down" }, ["left", "right"]),
            Make("matrix", new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, new double[,] { { 7, 8, 9 }, { 10, 11, 12 } }),
            Make("ragged", new[] { 1L }, [2L, 3L]),
        ];
        Column[] second =
        [
            Make("point_id", c),
            Make("flag", true),
            Make("small", sbyte.MinValue),
            Make("count", int.MaxValue),
            Make("big", 42UL),
            Make("ratio", float.Epsilon),
            Make("energy", double.NegativeInfinity),
            Make("amplitude", Complex.Zero),
            Make("label", ""),
            Make("stamp", DateTime.MaxValue.ToUniversalTime()),
            Make<double?>("maybe", [null]),
            Make<DateTime?>("when", new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            Make<double[]>("psi", [7.0]),
            Make<bool[]>("spins", [null!]),
            Make<Complex[]>("modes", [new Complex(3, 3)]),
            Make<string[]>("names", ["a", "b", "c"]),
            Make<double[,]>("matrix", new double[,] { { 1 }, { 2 }, { 3 } }),
            Make<long[]>("ragged", [[]]),
        ];
        return (first, second);
    }

    private string Write(params Column[][] batches)
    {
        string path = Path.Combine(_dir.Root, "shard.h5");
        using IShardFileWriter writer = Hdf5ShardFormat.Instance.Create(path, batches[0], Metadata);
        foreach (Column[] batch in batches)
        {
            writer.Append(batch);
        }

        writer.Close();
        Assert.Equal(batches.Sum(b => (long)b[0].Count), writer.Rows);
        return path;
    }

    private static Column[] ReadBack(string path, Column[] schema)
    {
        Column[] read = schema.Select(c => c.CreateEmpty()).ToArray();
        Assert.True(Hdf5ShardFormat.Instance.Read(path, read, ShardSchema.Of(schema)));
        return read;
    }

    private static object? Row(Column column, int row) => column.GetBoxed(row) switch
    {
        Array array => JsonSerializer.Serialize(array.Cast<object>().Select(x => x is Complex z ? (object)new[] { z.Real, z.Imaginary } : x).ToArray())
            + "/" + string.Join("x", Enumerable.Range(0, array.Rank).Select(array.GetLength)),
        var value => value,
    };

    [Fact]
    public void Every_column_type_reads_back_exactly_what_was_written_over_two_batches_of_different_shapes()
    {
        (Column[] first, Column[] second) = Batches();
        string path = Write(first, second);

        Column[] read = ReadBack(path, first);
        for (int i = 0; i < first.Length; i++)
        {
            Assert.True(read[i].Count == 3, $"{read[i].Name}: {read[i].Count} rows");
            for (int row = 0; row < 3; row++)
            {
                Column source = row < 2 ? first[i] : second[i];
                Assert.Equal(Row(source, row < 2 ? row : 0), Row(read[i], row));
            }
        }
    }

    [Fact]
    public void A_subset_of_columns_can_be_read_and_a_shard_of_another_schema_is_passed_over()
    {
        (Column[] first, _) = Batches();
        string path = Write(first);

        var energy = new Column<double>("energy");
        Assert.True(Hdf5ShardFormat.Instance.Read(path, [energy], ShardSchema.Of(first)));
        Assert.Equal(-1.25, energy[0]);

        // A property added to the type: the shard holds an older schema, none of whose rows is read.
        energy.Clear();
        Assert.False(Hdf5ShardFormat.Instance.Read(path, [energy], ShardSchema.Of([.. first, new Column<double>("other")])));
        Assert.Equal(0, energy.Count);
    }

    [Fact]
    public void H5py_reads_fixed_shapes_as_n_by_shape_datasets_and_ragged_ones_as_values_and_offsets()
    {
        (Column[] first, Column[] second) = Batches();
        string path = Write(first, second);
        string fixedPath = Path.Combine(_dir.Root, "fixed.h5");
        using (IShardFileWriter writer = Hdf5ShardFormat.Instance.Create(fixedPath, first, Metadata))
        {
            writer.Append(first);
            writer.Close();
        }

        using JsonDocument fixedFile = H5py(fixedPath);
        JsonElement sets = fixedFile.RootElement.GetProperty("datasets");
        Assert.Equal("abc123", fixedFile.RootElement.GetProperty("groups").GetProperty("psi").GetProperty("cairn.code_hash").GetString());
        Assert.Equal("[2,3]", sets.GetProperty("psi/psi").GetProperty("shape").GetRawText());
        Assert.Equal("[[1.0,2.0,3.0],[4.0,5.0,6.0]]", sets.GetProperty("psi/psi").GetProperty("values").GetRawText());
        Assert.Equal("[2,2,3]", sets.GetProperty("psi/matrix").GetProperty("shape").GetRawText());
        Assert.Equal("complex128", sets.GetProperty("psi/amplitude").GetProperty("dtype").GetString());
        Assert.Equal("[[1.0,-2.0],[0.5,3.0]]", sets.GetProperty("psi/amplitude").GetProperty("values").GetRawText());
        Assert.True(sets.GetProperty("psi/flag").GetProperty("bool").GetBoolean());
        Assert.True(sets.GetProperty("psi/label").GetProperty("string").GetBoolean());
        Assert.Equal("Mott ünïcode", sets.GetProperty("psi/label").GetProperty("values")[0].GetString());
        Assert.Equal(first[0].GetBoxed(1)!.ToString()!.Replace("-", "", StringComparison.Ordinal), sets.GetProperty("psi/point_id").GetProperty("values")[1].GetString());
        Assert.Equal(new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks, sets.GetProperty("psi/stamp").GetProperty("values")[0].GetInt64());
        Assert.Equal("100 ns since 1970-01-01T00:00:00Z", sets.GetProperty("psi/stamp").GetProperty("attrs").GetProperty("units").GetString());
        Assert.Equal("[true,false]", sets.GetProperty("psi/maybe/valid").GetProperty("values").GetRawText());

        using JsonDocument raggedFile = H5py(path);
        sets = raggedFile.RootElement.GetProperty("datasets");
        Assert.Equal("[1.0,2.0,3.0,4.0,5.0,6.0,7.0]", sets.GetProperty("psi/psi/values").GetProperty("values").GetRawText());
        Assert.Equal("[0,3,6,7]", sets.GetProperty("psi/psi/offsets").GetProperty("values").GetRawText());
        Assert.Equal("[[2,3],[2,3],[3,1]]", sets.GetProperty("psi/matrix/shape").GetProperty("values").GetRawText());
        Assert.Equal("[true,true,false]", sets.GetProperty("psi/spins/valid").GetProperty("values").GetRawText());
        Assert.DoesNotContain(raggedFile.RootElement.GetProperty("datasets").EnumerateObject(), d => d.Name.Contains(".fixed", StringComparison.Ordinal));
    }

    /// <summary>
    /// Rows whose chunks a batch fills whole are written raw (H5Dwrite_chunk), the rest through the
    /// chunk cache, in blocks of a few MiB: batch sizes that start and end mid-chunk and mid-block,
    /// with chunks of 32 rows (psi), 327 (amplitude) and 8,738 (matrix), and a ragged column of more
    /// than a block per batch, must read back in order through Cairn and through h5py.
    /// </summary>
    [Fact]
    public void Rows_written_as_whole_chunks_and_through_the_cache_read_back_in_order_whatever_the_batch_sizes()
    {
        const int Width = 4096;
        int[] sizes = [5, 40, 32, 600, 23, 1];
        string path = Path.Combine(_dir.Root, "chunks.h5");
        Column[] Batch(int first, int count) =>
        [
            Make("point_id", Enumerable.Range(first, count).Select(r => new Guid(r, 0, 0, new byte[8])).ToArray()),
            Make("psi", Enumerable.Range(first, count).Select(r => Enumerable.Range(0, Width).Select(j => (r * 1e4) + j).ToArray()).ToArray()),
            Make("amplitude", Enumerable.Range(first, count).Select(r => Enumerable.Range(0, 200).Select(j => new Complex(r, -j)).ToArray()).ToArray()),
            Make("matrix", Enumerable.Range(first, count).Select(r => new double[,] { { r, 1, 2, 3, 4 }, { 5, 6, 7, 8, 9 }, { 10, 11, 12, 13, r } }).ToArray()),
            Make("ragged", Enumerable.Range(first, count).Select(r => Enumerable.Range(0, 1500 + (r % 7)).Select(j => (long)r - j).ToArray()).ToArray()),
        ];
        int rows = sizes.Sum();
        using (IShardFileWriter writer = Hdf5ShardFormat.Instance.Create(path, Batch(0, 0), Metadata))
        {
            int done = 0;
            foreach (int size in sizes)
            {
                writer.Append(Batch(done, size));
                done += size;
            }

            writer.Close();
        }

        Column[] expected = Batch(0, rows);
        Column[] read = ReadBack(path, expected);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(rows, read[i].Count);
            for (int row = 0; row < rows; row++)
            {
                Assert.True(Equals(Row(expected[i], row), Row(read[i], row)), $"{expected[i].Name}, row {row}");
            }
        }

        string check = """
            import sys, h5py, numpy as np
            f = h5py.File(sys.argv[1], "r")["psi"]
            r = np.arange(f["psi"].shape[0])
            bad = []
            if not (f["psi"][()] == r[:, None] * 1e4 + np.arange(4096)[None, :]).all(): bad.append("psi")
            if not (f["amplitude"][()] == r[:, None] - 1j * np.arange(200)[None, :]).all(): bad.append("amplitude")
            m = f["matrix"][()]
            if not ((m[:, 0, 0] == r).all() and (m[:, 2, 4] == r).all() and (m[:, 1, :] == np.arange(5, 10)).all()): bad.append("matrix")
            lengths = np.diff(f["ragged/offsets"][()])
            if not (lengths == 1500 + r % 7).all(): bad.append("ragged")
            print(f["psi"].shape, f["psi"].chunks, f["amplitude"].chunks, f["matrix"].chunks, bad)
            """;
        (int exit, string output) = Shell("/usr/bin/python3", "-c", check, path);
        Assert.True(exit == 0, output);
        Assert.Equal($"({rows}, 4096) (32, 4096) (327, 200) (8738, 3, 5) []", output.Trim());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(35)]
    public void A_flipped_bit_in_a_chunk_is_found_by_its_Fletcher32_checksum_by_Cairn_and_by_h5py(int row)
    {
        // Rows 0-31 fill a chunk written whole (its checksum computed by Cairn), rows 32-39 one the library writes.
        string path = Path.Combine(_dir.Root, "flipped.h5");
        Column[] columns = [Make("psi", Enumerable.Range(0, 40).Select(r => Enumerable.Range(0, 4096).Select(j => (r * 1e4) + j).ToArray()).ToArray())];
        using (IShardFileWriter writer = Hdf5ShardFormat.Instance.Create(path, columns, Metadata))
        {
            writer.Append(columns);
            writer.Close();
        }

        Assert.Equal(40, ReadBack(path, columns)[0].Count);
        byte[] bytes = File.ReadAllBytes(path);
        byte[] value = BitConverter.GetBytes((row * 1e4) + 1234);
        int at = bytes.AsSpan().IndexOf(value);
        Assert.True(at > 0, "the value's bytes are not in the file");
        bytes[at] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<StoreException>(() => ReadBack(path, columns));
        Assert.StartsWith(path + ": is not a readable HDF5 file of this campaign (truncated or corrupt?)", error.Message);
        (int exit, string output) = Shell("/usr/bin/python3", "-c", "import sys, h5py; print(h5py.File(sys.argv[1], 'r')['psi']['psi'].fletcher32); h5py.File(sys.argv[1], 'r')['psi']['psi'][()]", path);
        Assert.NotEqual(0, exit);
        Assert.StartsWith("True", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(0L)]
    public void Chunks_whose_words_are_all_0xffff_or_0_pass_HDF5s_own_checksum_check(long bits)
    {
        // All-ones words take Fletcher-32's sums to the edge of each fold; all zeros to its other end.
        // Rows 0-31 are written as whole chunks with Cairn's checksum, which h5py verifies on read.
        string path = Path.Combine(_dir.Root, $"edge{bits}.h5");
        double value = BitConverter.Int64BitsToDouble(bits);
        Column[] columns = [Make("psi", Enumerable.Range(0, 70).Select(_ => Enumerable.Repeat(value, 4096).ToArray()).ToArray())];
        using (IShardFileWriter writer = Hdf5ShardFormat.Instance.Create(path, columns, Metadata))
        {
            writer.Append(columns);
            writer.Close();
        }

        Assert.Equal(70, ReadBack(path, columns)[0].Count);
        (int exit, string output) = Shell("/usr/bin/python3", "-c", "import sys, h5py, numpy as np; d = h5py.File(sys.argv[1], 'r')['psi']['psi']; print(d.fletcher32, d.chunks, (d[()].view(np.int64) == int(sys.argv[2])).all())", path, bits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(exit == 0, output);
        Assert.Equal("True (32, 4096) True", output.Trim());
    }

    [Fact]
    public void A_flipped_bit_in_a_string_is_found_by_the_columns_checksum()
    {
        // HDF5 filters no variable-length strings: Cairn keeps a checksum of the column beside it.
        string path = Path.Combine(_dir.Root, "strings.h5");
        Column[] columns = [Make("label", Enumerable.Range(0, 50).Select(r => $"label-{r:d5}-of-the-point").ToArray())];
        using (IShardFileWriter writer = Hdf5ShardFormat.Instance.Create(path, columns, Metadata))
        {
            writer.Append(columns);
            writer.Close();
        }

        Assert.Equal("label-00042-of-the-point", ((Column<string>)ReadBack(path, columns)[0])[42]);
        byte[] bytes = File.ReadAllBytes(path);
        int at = bytes.AsSpan().IndexOf("label-00042"u8);
        Assert.True(at > 0, "the string's bytes are not in the file");
        bytes[at + 8] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<StoreException>(() => ReadBack(path, columns));
        Assert.Contains("the strings of 'label' do not match their checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void H5dump_reads_the_file_and_shows_the_group_and_its_datasets()
    {
        (Column[] first, _) = Batches();
        string path = Write(first);

        (int exit, string output) = Shell("h5dump", "-d", "/psi/psi", path);
        Assert.True(exit == 0, output);
        Assert.Contains("DATASPACE  SIMPLE { ( 2, 3 ) / ( H5S_UNLIMITED, 3 ) }", output);
        Assert.Contains("(0,0): 1, 2, 3,", output);
    }

    [Fact]
    public void A_program_started_while_a_shard_is_written_does_not_keep_it_locked_from_readers()
    {
        // A program started while the shard is open inherits its file descriptor (HDF5 does not
        // close it on exec), as a step's external program does beside the run's writer thread; it
        // outlives the writer. The shard must still open in h5dump, which locks what it reads.
        (Column[] first, _) = Batches();
        string path = Path.Combine(_dir.Root, "shard.h5");
        System.Diagnostics.Process sleeper;
        using (IShardFileWriter writer = Hdf5ShardFormat.Instance.Create(path, first, Metadata))
        {
            writer.Append(first);
            sleeper = System.Diagnostics.Process.Start("sleep", "30");
            writer.Close();
        }

        try
        {
            (int exit, string output) = Shell("h5dump", "-H", path);
            Assert.True(exit == 0, output);
            Assert.Contains("GROUP \"psi\"", output);
        }
        finally
        {
            sleeper.Kill();
            sleeper.Dispose();
        }
    }

    [Fact]
    public void A_truncated_shard_is_reported_with_its_path_and_left_where_it_is()
    {
        (Column[] first, _) = Batches();
        string path = Write(first);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<StoreException>(() => ReadBack(path, first));
        Assert.StartsWith(path + ": is not a readable HDF5 file of this campaign (truncated or corrupt?)", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.True(File.Exists(path));
    }

    private static JsonDocument H5py(string path)
    {
        Assert.True(Shell("/usr/bin/python3", "-c", "import h5py").Exit == 0, "h5py is missing: the README's test command installs it (Debian python3-h5py)");
        return Tools.RunJson("/usr/bin/python3", "h5-read.py", path, "h5py could not read the file");
    }

    private static (int Exit, string Output) Shell(string program, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
