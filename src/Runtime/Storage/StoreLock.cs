using System.IO;

namespace Cairn.Storage;

/// <summary>
/// The lock of the commands that rewrite a store's files (compaction, the history pass, prune): one
/// at a time, by an exclusive open of <see cref="FileName"/>. Released by unlinking the file while
/// still holding it: a process that opened it meanwhile fails to lock it and gives up; one that
/// comes later makes a new lock file.
/// </summary>
internal sealed class StoreLock : System.IDisposable
{
    public const string FileName = ".compact.lock";

    private readonly FileStream _held;

    private StoreLock(FileStream held) => _held = held;

    /// <summary>Takes the lock; null when another process holds it.</summary>
    public static StoreLock? TryTake(CampaignStore store)
    {
        try
        {
            return new StoreLock(new FileStream(Path.Combine(store.Root, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The error of a command that needs the lock while another process holds it.</summary>
    public static StoreException Busy(CampaignStore store) =>
        new($"another process is compacting or pruning {store.Root} (it holds {Path.Combine(store.Root, FileName)}); wait for it to finish and try again.");

    public void Dispose()
    {
        File.Delete(_held.Name);
        _held.Dispose();
    }
}
