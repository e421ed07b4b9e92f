// Write throughput of HDF5 shards against the disk's own, measured in the same run (issue 5):
// 100,000 results of a 1,024-element double[] each (800 MB of values), written as a product shard
// is (point_id, key, values; batches of 16,384 rows, as a run hands them over), then fsync'd. The
// rows, ids and keys are made before the clock starts (Guid.NewGuid alone would take 0.35 s).
// The disk's speed is a plain FileStream writing the same number of bytes in 8 MiB blocks, then
// fsync'd, and dd (conv=fdatasync). Each is run three times; the median counts.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Cairn.Columns;
using Cairn.Storage;
using Cairn.Storage.Hdf5;

int results = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
const int Length = 1024;
const int Batch = 16_384;
string directory = Path.Combine(args.Length > 1 ? args[1] : Path.GetTempPath(), "cairn-hdf5-bench");
Directory.CreateDirectory(directory);
long valueBytes = (long)results * Length * sizeof(double);

var ids = new Column<Guid>("point_id");
var keys = new Column<Guid>("key");
var values = new Column<double[]>("A");
Column[] batch = [ids, keys, values];
var random = new Random(1);
Guid[] pointIds = Enumerable.Range(0, results).Select(_ => Guid.NewGuid()).ToArray();
Guid[] resultKeys = Enumerable.Range(0, results).Select(_ => Guid.NewGuid()).ToArray();
double[][] rows = Enumerable.Range(0, Batch).Select(_ => Enumerable.Range(0, Length).Select(_ => random.NextDouble()).ToArray()).ToArray();

double Shard(IShardFormat format)
{
    string path = Path.Combine(directory, "shard" + format.Extension);
    File.Delete(path);
    var clock = Stopwatch.StartNew();
    using (IShardFileWriter writer = format.Create(path, batch, new Dictionary<string, string> { ["cairn.content"] = "psi" }))
    {
        for (int done = 0; done < results; done += Batch)
        {
            foreach (Column c in batch)
            {
                c.Clear();
            }

            for (int i = 0; i < Math.Min(Batch, results - done); i++)
            {
                ids.Append(pointIds[done + i]);
                keys.Append(resultKeys[done + i]);
                values.Append(rows[i]);
            }

            writer.Append(batch);
        }

        writer.Close();
    }

    Fsync(path);
    double seconds = clock.Elapsed.TotalSeconds;
    File.Delete(path);
    return valueBytes / seconds / 1e6;
}

double Plain()
{
    string path = Path.Combine(directory, "plain.bin");
    byte[] block = new byte[8 << 20];
    random.NextBytes(block);
    var clock = Stopwatch.StartNew();
    using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
    {
        for (long written = 0; written < valueBytes; written += block.Length)
        {
            file.Write(block, 0, (int)Math.Min(block.Length, valueBytes - written));
        }

        file.Flush(flushToDisk: true);
    }

    double seconds = clock.Elapsed.TotalSeconds;
    File.Delete(path);
    return valueBytes / seconds / 1e6;
}

double Dd()
{
    string path = Path.Combine(directory, "dd.bin");
    var start = new ProcessStartInfo("dd", [$"if=/dev/zero", $"of={path}", "bs=8M", $"count={valueBytes / (8 << 20)}", "conv=fdatasync"]) { RedirectStandardError = true };
    var clock = Stopwatch.StartNew();
    using (var dd = Process.Start(start)!)
    {
        dd.StandardError.ReadToEnd();
        dd.WaitForExit();
    }

    double seconds = clock.Elapsed.TotalSeconds;
    File.Delete(path);
    return (valueBytes / (8 << 20)) * (double)(8 << 20) / seconds / 1e6;
}

static void Fsync(string path)
{
    using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
    file.Flush(flushToDisk: true);
}

static double Median(Func<double> measure)
{
    double[] runs = [measure(), measure(), measure()];
    Array.Sort(runs);
    return runs[1];
}

Console.WriteLine($"{results:N0} results x {Length} doubles = {valueBytes / 1e6:F0} MB of values, HDF5 {Hdf5LibraryVersion()}, in {directory}");
double hdf5 = Median(() => Shard(Hdf5ShardFormat.Instance));
double plain = Median(Plain);
double dd = Median(Dd);
double parquet = Median(() => Shard(ParquetShardFormat.Instance));
Console.WriteLine($"disk, plain FileStream + fsync   {plain,8:F0} MB/s");
Console.WriteLine($"disk, dd conv=fdatasync          {dd,8:F0} MB/s");
Console.WriteLine($"HDF5 shard + fsync               {hdf5,8:F0} MB/s   {hdf5 / plain:P0} of FileStream, {hdf5 / dd:P0} of dd");
Console.WriteLine($"Parquet shard + fsync            {parquet,8:F0} MB/s   {parquet / plain:P0} of FileStream");

static string Hdf5LibraryVersion()
{
    Hdf5Library.EnsureLoaded();
    return Hdf5Library.Version?.ToString() ?? "?";
}
