using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Cairn.Execution;
using Cairn.Storage;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary><c>compact</c> and <c>--skip-corrupt</c> on a store of small shards in both formats.</summary>
[Collection("campaign")]
public sealed class CompactionTests : IDisposable
{
    private readonly TempStore _store = new();

    public CompactionTests() => TestSteps.PointCount = 60;

    public void Dispose() => _store.Dispose();

    /// <summary>A run that leaves shards of about 7 rows: the writers of a cluster leave many small files.</summary>
    private void RunInSmallShards() =>
        new LocalExecutor<TestPoint>(Campaign.Definition, new RunOptions { Store = _store.Root, Workers = 2, RowsPerShard = 7, RowsPerFile = 7, FlushPoints = 5, MaxChunkSize = 5 }).Run();

    private static string Values(string store)
    {
        return string.Join("\n", Campaign.Results.Square(store).Select(r => $"{r.Point} {JsonSerializer.Serialize(r.Value)}"))
            + string.Join("\n", Campaign.Results.Shift(store).Select(r => $"{r.Point} {r.Value.Value} {r.Value.Amplitude} {r.Value.Block.Length}"))
            + JsonSerializer.Serialize(Campaign.Results.Total(store));
    }

    private static void Copy(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public void A_compaction_killed_after_its_merged_commit_or_between_its_deletes_leaves_each_result_once_after_the_next_run()
    {
        RunInSmallShards();
        string[] sources = _store.Files("results/square").Select(Path.GetFileName).ToArray()!;
        Assert.True(sources.Length > 3, $"{sources.Length} square shards");
        // The file compaction commits, before it deletes the sources in their order.
        using var compacted = new TempStore();
        Copy(_store.Root, compacted.Root);
        Assert.Equal(ExitCodes.Success, Cli.Run("compact", "--store", compacted.Root).Exit);
        string merged = Assert.Single(compacted.Files("results/square"));

        // Killed right after the commit (none deleted), then after each delete but the last.
        for (int deleted = 0; deleted < sources.Length; deleted++)
        {
            using var killed = new TempStore();
            Copy(_store.Root, killed.Root);
            File.Copy(merged, Path.Combine(killed.Root, "results", "square", Path.GetFileName(merged)));
            foreach (string source in sources.Take(deleted))
            {
                File.Delete(Path.Combine(killed.Root, "results", "square", source!));
            }

            // Cairn's readers count each result once even now...
            Assert.Equal(54, Campaign.Results.Square(killed.Root).Count);

            // ...and after the next run the store holds it once: no copy in results/, none in history/.
            var (exit, _, error) = Cli.Run("run", "--store", killed.Root);
            Assert.True(exit == ExitCodes.StepsFailed, error);
            var (_, all, _) = Cli.Run("results", "square", "--store", killed.Root, "--all-versions");
            string[] keys = all.Trim().Split('\n').Skip(1).Select(line => line.Split(',')[1]).ToArray();
            Assert.Equal(54, keys.Length);
            Assert.Equal(54, keys.Distinct().Count());
            using JsonDocument outside = Tools.RunJson("node", "parquet-read.mjs", Path.Combine(killed.Root, "results", "square", "*.parquet"), "DuckDB could not read the files");
            Assert.Equal(54, outside.RootElement.GetProperty("rows").GetArrayLength());
        }
    }

    [Fact]
    public void Compact_merges_the_small_shards_of_every_directory_and_every_value_reads_the_same()
    {
        RunInSmallShards();
        string before = Values(_store.Root);
        int squareShards = _store.Files("results/square").Length;
        Assert.True(squareShards > 3, $"{squareShards} square shards");

        var (exit, json, error) = Cli.Run("compact", "--store", _store.Root, "--json");

        Assert.True(exit == ExitCodes.Success, error);
        using JsonDocument report = JsonDocument.Parse(json);
        Assert.Equal(squareShards, report.RootElement.GetProperty("results/square").GetProperty("before").GetInt32());
        Assert.Equal(1, report.RootElement.GetProperty("results/square").GetProperty("after").GetInt32());
        Assert.Equal(54, report.RootElement.GetProperty("results/square").GetProperty("rows_merged").GetInt64());
        foreach (string dir in new[] { "points", "results/square", "results/shift", "failures", "provenance" })
        {
            Assert.Single(_store.Files(dir));
        }

        Assert.EndsWith(".h5", _store.Files("results/shift")[0], StringComparison.Ordinal);
        Assert.Equal(before, Values(_store.Root));
        Assert.DoesNotContain(Directory.GetFiles(_store.Root, "*", SearchOption.AllDirectories), f => Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != StoreLayout.LastCompaction);

        // Nothing left to merge: a second compaction changes no file.
        var snapshot = _store.Snapshot();
        Assert.Equal(ExitCodes.Success, Cli.Run("compact", "--store", _store.Root).Exit);
        Assert.Equal(snapshot, _store.Snapshot());
    }

    [Fact]
    public void Compact_waits_for_no_one_it_says_another_compaction_is_running_and_changes_nothing()
    {
        RunInSmallShards();
        var snapshot = _store.Snapshot();
        using (new FileStream(Path.Combine(_store.Root, ".compact.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var (exit, _, error) = Cli.Run("compact", "--store", _store.Root);

            Assert.Equal(ExitCodes.Store, exit);
            Assert.Equal($"error: another process is compacting or pruning {_store.Root} (it holds {Path.Combine(_store.Root, ".compact.lock")}); wait for it to finish and try again.", error.TrimEnd());
        }

        Assert.Equal(snapshot, _store.Snapshot().Where(f => !f.Path.EndsWith(".compact.lock", StringComparison.Ordinal)).ToArray());
        Assert.Equal(ExitCodes.Usage, Cli.Run("compact", "--store", _store.Root, "--rows", "0").Exit);
    }

    [Fact]
    public void A_truncated_hdf5_shard_stops_readers_unless_skip_corrupt_names_it_and_it_is_never_deleted()
    {
        RunInSmallShards();
        int all = Campaign.Results.Shift(_store.Root).Count;
        string shard = _store.Files("results/shift")[1];
        byte[] bytes = File.ReadAllBytes(shard);
        File.WriteAllBytes(shard, bytes[..(bytes.Length / 3)]);

        var (exit, _, error) = Cli.Run("results", "shift", "--store", _store.Root);
        Assert.Equal(ExitCodes.Store, exit);
        Assert.StartsWith($"error: {shard}: is not a readable HDF5 file of this campaign (truncated or corrupt?)", error, StringComparison.Ordinal);

        (exit, string csv, error) = Cli.Run("results", "shift", "--store", _store.Root, "--skip-corrupt");
        Assert.Equal(ExitCodes.Success, exit);
        string warning = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith($"warning: skipped (--skip-corrupt) {shard}: is not a readable HDF5 file", warning, StringComparison.Ordinal);
        Assert.EndsWith("it stays in the store, and its results count as missing", warning, StringComparison.Ordinal);
        int readable = csv.Trim().Split('\n').Length - 1;
        Assert.InRange(readable, 1, all - 1);

        // run computes the skipped results again; compaction leaves the shard alone.
        (exit, string json, _) = Cli.Run("run", "--store", _store.Root, "--skip-corrupt", "--json");
        Assert.Equal(ExitCodes.StepsFailed, exit);
        using JsonDocument report = JsonDocument.Parse(json);
        Assert.Equal(all - readable, report.RootElement.GetProperty("steps").GetProperty("Shift").GetProperty("computed").GetInt32());
        Assert.Equal(ExitCodes.Success, Cli.Run("compact", "--store", _store.Root, "--skip-corrupt").Exit);
        Assert.Equal(bytes[..(bytes.Length / 3)], File.ReadAllBytes(shard));
        Assert.Equal(all, int.Parse(Cli.Run("status", "--store", _store.Root, "--skip-corrupt", "--json").Out.Split("\"Shift\":{\"product\":\"shift\",\"done\":")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
    }
}
