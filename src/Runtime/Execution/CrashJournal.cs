using System;
using System.Collections.Generic;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Threading;
using Cairn.Native;

namespace Cairn.Execution;

/// <summary>
/// A small file, mapped into memory, in which each worker of a supervised run keeps which point and
/// step it is inside (a <see cref="JournalSlot"/> each). The kernel keeps what a process wrote to a
/// shared mapping when the process dies, however it dies: the supervisor reads the file after a
/// crash and learns which points were in flight. Written with plain stores, no system call. Its
/// header also keeps the out-of-memory killer's count when it was made (<see cref="OomKills"/>), so
/// that whoever reads it after the process died can tell a kill for memory from another SIGKILL.
/// </summary>
internal sealed unsafe class CrashJournal : IDisposable
{
    internal const int HeaderBytes = 64;
    internal const int SlotBytes = 64;
    private const ulong Magic = 0x32304A4E52494143; // "CAIRNJ02"
    private const int SlotsOffset = 8;
    private const int OomKillsOffset = 16;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly int _slots;
    private readonly string? _made;
    private int _taken;

    private CrashJournal(string path, bool made)
    {
        _made = made ? path : null;
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
        _slots = *(int*)(_base + SlotsOffset);
    }

    /// <summary>The slots of a journal for a process of <paramref name="workers"/> workers: one each, and more for the helpers and replacements the watchdog starts.</summary>
    public static int SlotsFor(int workers) => Math.Max(64, workers * 8);

    /// <summary>Makes an empty journal of <paramref name="slots"/> slots at <paramref name="path"/>, with the out-of-memory killer's count of now.</summary>
    public static void Create(string path, int slots)
    {
        var bytes = new byte[HeaderBytes + (slots * SlotBytes)];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), Magic);
        BitConverter.TryWriteBytes(bytes.AsSpan(SlotsOffset, 4), slots);
        BitConverter.TryWriteBytes(bytes.AsSpan(OomKillsOffset, 8), OomKills.Count() ?? -1);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>
    /// Maps the journal at <paramref name="path"/>: the one a supervisor made, or, when only its name
    /// was given (the batch script of a Slurm task names it and watches), a new one for
    /// <paramref name="workers"/> workers, which <see cref="Dispose"/> deletes: a process that ends
    /// as it should leaves nothing, one that dies leaves the journal to whoever takes over.
    /// </summary>
    public static CrashJournal Open(string path, int workers)
    {
        bool made = !File.Exists(path);
        if (made)
        {
            Create(path, SlotsFor(workers));
        }

        return new(path, made);
    }

    /// <summary>A slot for one more worker; null once all are taken (that worker's crashes are then not told apart).</summary>
    public JournalSlot? Take()
    {
        int index = Interlocked.Increment(ref _taken) - 1;
        return index < _slots ? new JournalSlot(_base + HeaderBytes + (index * SlotBytes)) : null;
    }

    /// <summary>The point and step of every slot whose worker was inside a step when the process ended.</summary>
    public static List<(Guid Point, int Step)> InFlight(string path)
    {
        byte[] bytes = File.Exists(path) ? File.ReadAllBytes(path) : [];
        var inFlight = new List<(Guid, int)>();
        if (bytes.Length < HeaderBytes || BitConverter.ToUInt64(bytes, 0) != Magic)
        {
            return inFlight;
        }

        int slots = Math.Min(BitConverter.ToInt32(bytes, SlotsOffset), (bytes.Length - HeaderBytes) / SlotBytes);
        for (int i = 0; i < slots; i++)
        {
            var slot = new ReadOnlySpan<byte>(bytes, HeaderBytes + (i * SlotBytes), SlotBytes);
            if (BitConverter.ToInt32(slot[JournalSlot.StateOffset..]) == JournalSlot.Inside)
            {
                inFlight.Add((new Guid(slot[..16]), BitConverter.ToInt32(slot[JournalSlot.StepOffset..])));
            }
        }

        return inFlight;
    }

    /// <summary>
    /// Whether the out-of-memory killer killed the process that kept the journal at
    /// <paramref name="path"/>, which ended with <paramref name="exit"/>: it ended by SIGKILL, and the
    /// killer's count rose since the journal was made.
    /// </summary>
    public static bool KilledForMemory(string path, int exit)
    {
        if (exit != 128 + Native.Libc.SigKill || !File.Exists(path))
        {
            return false;
        }

        byte[] bytes = File.ReadAllBytes(path);
        long before = bytes.Length >= HeaderBytes && BitConverter.ToUInt64(bytes, 0) == Magic ? BitConverter.ToInt64(bytes, OomKillsOffset) : -1;
        return before >= 0 && OomKills.Count() > before;
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
        if (_made is not null)
        {
            File.Delete(_made);
        }
    }
}
