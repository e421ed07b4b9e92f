using System;
using System.IO;
using Cairn.Execution;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>
/// The crash journal: who makes it deletes it, so that a Slurm task's batch shell, which only names
/// it, finds it after its worker died and never after a worker that ended as it should.
/// </summary>
public sealed class CrashJournalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-journal-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_journal_only_named_is_made_for_the_workers_and_deleted_when_the_process_is_done_with_it()
    {
        string path = Path.Combine(_directory, "named");
        using (CrashJournal journal = CrashJournal.Open(path, workers: 16))
        {
            Assert.True(File.Exists(path));
            // 16 workers get 8 slots each (helpers and replacements): the 128th slot is there, the 129th not.
            for (int i = 0; i < 127; i++)
            {
                Assert.NotNull(journal.Take());
            }

            JournalSlot last = journal.Take()!;
            Assert.Null(journal.Take());
            Guid point = Guid.NewGuid();
            last.Enter(point, 3);
            Assert.Equal([(point, 3)], CrashJournal.InFlight(path));
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_journal_a_supervisor_made_is_left_to_it_and_tells_what_was_in_flight()
    {
        string path = Path.Combine(_directory, "made");
        CrashJournal.Create(path, CrashJournal.SlotsFor(1));
        Guid point = Guid.NewGuid();
        using (CrashJournal journal = CrashJournal.Open(path, workers: 1))
        {
            JournalSlot slot = journal.Take()!;
            slot.Enter(point, 1);
            slot.Leave();
            journal.Take()!.Enter(point, 2);
        }

        Assert.Equal([(point, 2)], CrashJournal.InFlight(path));
        // Only a SIGKILL can be the out-of-memory killer's.
        Assert.False(CrashJournal.KilledForMemory(path, 134));
        Assert.False(CrashJournal.KilledForMemory(Path.Combine(_directory, "none"), 137));
    }
}
