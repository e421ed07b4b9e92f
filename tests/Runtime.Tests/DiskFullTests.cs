using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Cairn.Execution;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>A store on a small tmpfs that fills up during a run (mounting needs root, as the README's test command runs).</summary>
[Collection("campaign")]
public sealed class DiskFullTests : IDisposable
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), "cairn-full-" + Guid.NewGuid().ToString("N"));

    public DiskFullTests()
    {
        Directory.CreateDirectory(_mount);
        Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", _mount);
        TestSteps.PointCount = 20_000;
    }

    public void Dispose()
    {
        Command("umount", _mount);
        Directory.Delete(_mount, recursive: true);
    }

    private string Store => Path.Combine(_mount, "store");

    private static void Command(string program, params string[] args)
    {
        using Process process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: {error} (the tests mount a small tmpfs, which needs root)");
    }

    private string[] Temporaries() => Directory.GetFiles(Store, ".*.tmp", SearchOption.AllDirectories);

    /// <summary>Frees space, then checks the next run finishes with every result once.</summary>
    private void FreeSpaceAndRunAgain()
    {
        Command("mount", "-o", "remount,size=256m", _mount);
        var (exit, _, error) = Cli.Run("run", "--store", Store);
        Assert.True(exit == ExitCodes.StepsFailed, error);
        var (_, csv, _) = Cli.Run("results", "square", "--store", Store, "--all-versions");
        string[] keys = csv.Trim().Split('\n').Skip(1).Select(line => line.Split(',')[1]).ToArray();
        Assert.Equal(18_000, keys.Length);
        Assert.Equal(18_000, keys.Distinct().Count());
    }

    [Fact]
    public void A_full_disk_ends_run_with_exit_8_one_line_and_the_json_report()
    {
        var (exit, stdout, stderr) = Cli.Run("run", "--store", Store, "--json");

        Assert.True(exit == ExitCodes.DiskFull, $"exit {exit}: {stderr}");
        Assert.Equal($"error: the disk that holds {Store} is full (or its quota is used up): free space there and run again; everything committed before is kept, and nothing half-written was left behind.", stderr.Trim());
        using JsonDocument report = JsonDocument.Parse(stdout);
        Assert.True(report.RootElement.GetProperty("disk_full").GetBoolean());
        Assert.Empty(Temporaries());
        FreeSpaceAndRunAgain();
    }

    [Fact]
    public void Shards_committed_before_the_disk_filled_are_kept_and_the_next_run_computes_only_the_rest()
    {
        // Room for a few commits of 1,000 rows (an HDF5 shard starts at about 100 KiB).
        Command("mount", "-o", "remount,size=3m", _mount);
        var options = new RunOptions { Store = Store, Workers = 2, RowsPerShard = 1_000 };

        RunReport report = new LocalExecutor<TestPoint>(Campaign.Definition, options).Run();

        Assert.NotNull(report.DiskFull);
        Assert.Equal(ExitCodes.DiskFull, report.DiskFull!.ExitCode);
        Assert.True(report.FilesWritten > 0, "nothing was committed before the disk filled");
        Assert.Empty(Temporaries());
        int kept = Campaign.Results.Square(Store).Count;
        Assert.InRange(kept, 1, 17_999);

        // The committed results are not computed again.
        TestSteps.ResetCalls();
        FreeSpaceAndRunAgain();
        Assert.Equal(20_000 - kept, TestSteps.SquareCalls);
    }
}
