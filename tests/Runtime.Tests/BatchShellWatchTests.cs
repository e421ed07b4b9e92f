using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Cairn.Slurm;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>
/// The lines of a Slurm task's script that run the worker as the batch shell's child and watch it
/// (<see cref="BatchScripts.Watch"/>), run by bash around a stand-in worker that says what it was
/// given and ends as told: the shell passes signals on, and hands over to the supervisor only after
/// a child that ended badly.
/// </summary>
public sealed class BatchShellWatchTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-watch-").FullName;

    private string Said => File.Exists(Path.Combine(_directory, "said")) ? File.ReadAllText(Path.Combine(_directory, "said")) : "";

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Starts the watch around a worker that ends as <paramref name="end"/> says; the shell is not waited for.</summary>
    private Process Start(string end)
    {
        string worker = Path.Combine(_directory, "worker");
        File.WriteAllText(worker, $$"""
            said={{_directory}}/said
            echo "args: $*" >> "$said"
            echo "journal=${CAIRN_JOURNAL:-none} parent=${CAIRN_SUPERVISOR:-none} shell=$PPID" >> "$said"
            case "$*" in *--child-ended*) exit 0 ;; esac
            case {{end}} in
              ok) exit 0 ;;
              fail) exit 3 ;;
              abort) kill -ABRT $$ ;;
              wait) trap 'echo "got USR1" >> "$said"; exit 138' USR1; echo ready >> "$said"; while :; do sleep 0.05; done ;;
            esac
            """.Replace("\r", "", StringComparison.Ordinal));
        string script = Path.Combine(_directory, "task.sh");
        File.WriteAllText(script, $"set -euo pipefail\nworker=(/bin/bash {worker} worker --store /s)\n" + BatchScripts.Watch);
        var start = new ProcessStartInfo("/bin/bash", [script]);
        start.Environment["TMPDIR"] = _directory;
        start.Environment["SLURM_JOB_ID"] = "77";
        start.Environment.Remove("CAIRN_JOURNAL");
        return Process.Start(start)!;
    }

    private int Run(string end)
    {
        using Process shell = Start(end);
        Assert.True(shell.WaitForExit(TimeSpan.FromSeconds(30)), "the watch did not end");
        return shell.ExitCode;
    }

    [Fact]
    public void A_worker_that_ends_well_is_not_handed_over_and_its_journal_is_named_for_it_and_removed()
    {
        Assert.Equal(0, Run("ok"));
        string[] said = Said.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, said.Length);
        Assert.Equal("args: worker --store /s", said[0]);
        // The child is told its journal (named for the shell's process and the job) and its parent, the shell.
        string shell = said[1][(said[1].IndexOf("shell=", StringComparison.Ordinal) + 6)..];
        Assert.Equal($"journal={_directory}/cairn-journal-{shell}-77 parent={shell} shell={shell}", said[1]);
        Assert.Empty(Directory.GetFiles(_directory, "cairn-journal-*"));
    }

    [Theory]
    [InlineData("abort", 134)]
    [InlineData("fail", 3)]
    public void A_worker_that_ends_badly_is_handed_over_to_the_supervisor_with_its_exit_and_journal(string end, int exit)
    {
        Assert.Equal(0, Run(end));
        string[] said = Said.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, said.Length);
        string shell = said[1][(said[1].IndexOf("shell=", StringComparison.Ordinal) + 6)..];
        // The supervisor replaces the shell (the same process, which Slurm signals), unwatched itself.
        Assert.Equal($"args: worker --store /s --child-ended {exit} --journal {_directory}/cairn-journal-{shell}-77", said[2]);
        Assert.StartsWith("journal=none parent=none shell=", said[3], StringComparison.Ordinal);
    }

    [Fact]
    public void SIGUSR1_to_the_batch_shell_reaches_the_worker_and_a_stopped_worker_is_not_handed_over()
    {
        using Process shell = Start("wait");
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Said.Contains("ready", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the worker did not start");
            Thread.Sleep(20);
        }

        Assert.Equal(0, Native.Libc.Kill(shell.Id, Native.Libc.SigUsr1));
        Assert.True(shell.WaitForExit(TimeSpan.FromSeconds(30)), "the watch did not end");
        Assert.Equal(138, shell.ExitCode);
        Assert.Contains("got USR1", Said, StringComparison.Ordinal);
        Assert.DoesNotContain("--child-ended", Said, StringComparison.Ordinal);
    }
}
