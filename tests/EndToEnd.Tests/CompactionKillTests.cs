using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>
/// A compaction killed with SIGKILL at every instant between two of its changes to the store (the
/// process kills itself there, <c>CAIRN_KILL_AT</c>) leaves, after the next run, the very store an
/// unkilled compaction leaves: each result once, in Cairn's readers and in DuckDB.
/// </summary>
[Collection("builds")]
public sealed class CompactionKillTests(MishapHost mishap) : IDisposable
{
    private const int Killed = 137;

    private static readonly string[] Directories =
        ["points", "history/points", "provenance", "failures", "results/value", "results/total", "history/results/value", "history/results/total", "history/provenance"];

    private static readonly (string, string)[] Current = [("MISHAP_POINTS", "30")];

    private readonly string _root = Shell.TempDirectory("cairn-compact-kill");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_compact_killed_at_any_instant_between_two_of_its_changes_leaves_each_result_once_after_the_next_run()
    {
        // Three runs of 20, 40 and 60 points, each killed before its closing compaction: every
        // directory holds three small shards. Then the campaign yields 30 points: the second run's
        // shards hold rows that stay current and rows that go to history, and are split; the third
        // run's go to history whole, where they are merged with the split-off rows.
        string prepared = Path.Combine(_root, "prepared");
        foreach (int points in new[] { 20, 40, 60 })
        {
            var run = mishap.Run([("MISHAP_POINTS", $"{points}"), ("CAIRN_SUPERVISE", "0"), ("CAIRN_KILL_AT", "compact.starting")], "run", "--store", prepared);
            Assert.True(run.Exit == Killed, $"exit {run.Exit}: {run.Err}");
        }

        Assert.Equal(3, Directory.GetFiles(Path.Combine(prepared, "results", "value")).Length);
        string reference = Copy(prepared, "reference");
        Assert.Equal(0, mishap.Run(Current, "compact", "--store", reference).Exit);
        var finish = mishap.Run(Current, "run", "--store", reference);
        Assert.True(finish.Exit == 0, finish.Err);
        string expected = Describe(reference);
        Assert.Contains("history/results/value: 30 rows in 1 file(s)", expected, StringComparison.Ordinal);

        var kills = new List<string>();
        foreach (string instant in new[] { "history.committed", "compact.committed", "compact.deleted" })
        {
            for (int pass = 1; ; pass++)
            {
                string store = Copy(prepared, $"{instant}-{pass}");
                var compact = mishap.Run([.. Current, ("CAIRN_KILL_AT", $"{instant}:{pass}")], "compact", "--store", store);
                if (compact.Exit == 0)
                {
                    Assert.True(pass > 1, $"compact never passed {instant}");
                    break;
                }

                Assert.True(compact.Exit == Killed, $"{instant}:{pass}: exit {compact.Exit}: {compact.Err}");
                kills.Add($"{instant}:{pass}");

                // Cairn's readers count each result once even before the next run...
                var results = mishap.Run(Current, "results", "value", "--store", store);
                Assert.True(results.Exit == 0, results.Err);
                Assert.Equal(30, results.Out.Trim().Split('\n').Length - 1);

                // ...and the next run leaves the store the unkilled compaction left (the run is not
                // supervised here only to keep the test short: its compaction is the same).
                var run = mishap.Run([.. Current, ("CAIRN_SUPERVISE", "0")], "run", "--store", store);
                Assert.True(run.Exit == 0, $"{instant}:{pass}: {run.Err}");
                Assert.True(expected == Describe(store), $"killed at {instant}:{pass}:\n{Describe(store)}\nexpected:\n{expected}");
                Directory.Delete(store, recursive: true);
            }
        }

        Assert.True(kills.Count >= 15, string.Join(", ", kills));
    }

    private string Copy(string from, string name)
    {
        string to = Path.Combine(_root, name);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return to;
    }

    /// <summary>Every version of every result as Cairn lists them, and each directory's rows as DuckDB counts them.</summary>
    private string Describe(string store)
    {
        var lines = new List<string>();
        foreach (string product in new[] { "value", "total" })
        {
            var all = mishap.Run(Current, "results", product, "--store", store, "--all-versions");
            Assert.True(all.Exit == 0, all.Err);
            lines.AddRange(all.Out.Trim().Split('\n').Skip(1).Order(StringComparer.Ordinal).Select(line => $"{product} {line}"));
        }

        var count = Shell.Run("node", Shell.RepositoryRoot, [Path.Combine(Shell.RepositoryRoot, "tests", "tools", "parquet-count.mjs"), .. Directories.Select(d => Path.Combine(store, d))]);
        Assert.True(count.Exit == 0, "DuckDB could not count the rows: " + count.Err);
        using JsonDocument counts = JsonDocument.Parse(count.Out);
        foreach (string directory in Directories)
        {
            string path = Path.Combine(store, directory);
            int files = Directory.Exists(path) ? Directory.GetFiles(path, "*.parquet").Length : 0;
            lines.Add($"{directory}: {counts.RootElement.GetProperty(path).GetInt64()} rows in {files} file(s)");
        }

        return string.Join('\n', lines);
    }
}
