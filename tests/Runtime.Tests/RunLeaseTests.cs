using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Cairn.Storage;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>One writer of a store at a time: the lease file, its holders, dead and alive, here and elsewhere.</summary>
[Collection("campaign")]
public sealed class RunLeaseTests : IDisposable
{
    private readonly TempStore _store = new();

    public RunLeaseTests() => TestSteps.PointCount = 30;

    public void Dispose() => _store.Dispose();

    private string Lease => Path.Combine(_store.Root, RunLease.FileName);

    /// <summary>Writes a lease as another writer's, touched <paramref name="age"/> ago.</summary>
    private void Hold(string host, int pid, TimeSpan age)
    {
        Directory.CreateDirectory(_store.Root);
        File.WriteAllText(Lease, $"{host} {pid} {Guid.NewGuid():N} run");
        File.SetLastWriteTimeUtc(Lease, DateTime.UtcNow - age);
    }

    /// <summary>The id of a process of this host that has ended.</summary>
    private static int Ended()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public void A_run_beside_a_live_writer_is_refused_with_one_line_that_names_it_and_the_store_is_untouched()
    {
        Hold(Environment.MachineName, Environment.ProcessId, TimeSpan.Zero);
        var before = _store.Snapshot();

        var (exit, _, stderr) = Cli.Run("run", "--store", _store.Root);

        Assert.Equal(ExitCodes.Busy, exit);
        Assert.Equal($"error: 'run' (process {Environment.ProcessId} on {Environment.MachineName}) is writing {_store.Root} (it holds {Lease}); wait for it to end ('run --wait' waits for it), or stop it.", stderr.TrimEnd());
        Assert.Equal(before, _store.Snapshot());
        Assert.Equal(ExitCodes.Busy, Cli.Run("submit", "--slurm", "--store", _store.Root).Exit);
    }

    [Fact]
    public void A_lease_whose_process_on_this_host_ended_is_taken_over_and_released_at_the_end()
    {
        Hold(Environment.MachineName, Ended(), TimeSpan.Zero);

        var (exit, _, stderr) = Cli.Run("run", "--store", _store.Root);

        Assert.True(exit == ExitCodes.StepsFailed, stderr);
        Assert.NotEmpty(Campaign.Results.Square(_store.Root));
        Assert.False(File.Exists(Lease));
    }

    [Theory]
    [InlineData(10, ExitCodes.Busy)]
    [InlineData(180, ExitCodes.StepsFailed)]
    public void A_lease_of_another_host_holds_until_no_one_has_touched_it_for_two_minutes(int ageSeconds, int expected)
    {
        Hold("node-elsewhere", 4242, TimeSpan.FromSeconds(ageSeconds));

        var (exit, _, stderr) = Cli.Run("run", "--store", _store.Root);

        Assert.True(exit == expected, stderr);
        Assert.Equal(expected == ExitCodes.Busy, File.Exists(Lease));
    }

    [Fact]
    public async Task Run_wait_waits_for_the_writer_to_end_says_so_once_and_then_runs()
    {
        Hold(Environment.MachineName, Environment.ProcessId, TimeSpan.Zero);
        Task release = Task.Run(() =>
        {
            Thread.Sleep(1500);
            File.Delete(Lease);
        });

        var (exit, _, stderr) = Cli.Run("run", "--store", _store.Root, "--wait");
        await release;

        Assert.True(exit == ExitCodes.StepsFailed, stderr);
        Assert.Single(stderr.Split('\n'), line => line.StartsWith($"waiting for 'run' (process {Environment.ProcessId}", StringComparison.Ordinal));
        Assert.False(File.Exists(Lease));
    }

    [Fact]
    public void A_lease_released_before_the_store_was_made_leaves_no_directory_behind_and_an_existing_one_stays()
    {
        using (RunLease.Take(_store.Root, "run", wait: false, _ => { }))
        {
            Assert.True(File.Exists(Lease));
        }

        Assert.False(Directory.Exists(_store.Root), "the lease left the directory it made");
        Directory.CreateDirectory(_store.Root);
        using (RunLease.Take(_store.Root, "run", wait: false, _ => { }))
        {
        }

        Assert.True(Directory.Exists(_store.Root));
        Assert.False(File.Exists(Lease));
    }
}
