using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;

namespace Cairn.Storage;

/// <summary>
/// The one writer of a store's work at a time: a local <c>run</c>, a submission's planning, its
/// finish job. A lease file (<see cref="FileName"/>) made with an exclusive create, which works on
/// the shared file systems of clusters (NFS, Lustre, GPFS) where <c>flock</c> may not; its holder
/// touches it every <see cref="Heartbeat"/>. A lease whose holder is gone is taken over: on this host
/// when its process has ended, from another host when it has not been touched for
/// <see cref="Expiry"/>. A second writer waits (<c>--wait</c>) or is refused with one line that
/// names the holder, so that two writers never compute the same point twice.
/// </summary>
internal sealed class RunLease : IDisposable
{
    public const string FileName = ".run.lease";

    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(2);

    private readonly string _path;
    private readonly string _token;
    private readonly Timer _heartbeat;
    private readonly string? _madeRoot;

    private RunLease(string path, string token, string? madeRoot)
    {
        _path = path;
        _token = token;
        _madeRoot = madeRoot;
        _heartbeat = new Timer(_ => Touch(), null, Heartbeat, Heartbeat);
    }

    /// <summary>
    /// Takes the store's lease for <paramref name="command"/>; when another writer holds it, waits
    /// for it (<paramref name="wait"/>, saying so once through <paramref name="warn"/>) or throws.
    /// </summary>
    /// <exception cref="CairnException">Another writer holds the lease (<see cref="ExitCodes.Busy"/>).</exception>
    public static RunLease Take(string root, string command, bool wait, Action<string> warn)
    {
        // A command that fails before it makes the store leaves no directory behind.
        string? madeRoot = Directory.Exists(root) ? null : root;
        CampaignStore.MakeRoot(root);
        string path = Path.Combine(root, FileName);
        string token = $"{Environment.MachineName} {Environment.ProcessId} {Guid.NewGuid():N} {command}";
        bool told = false;
        while (true)
        {
            if (TryCreate(path, token))
            {
                return new RunLease(path, token, madeRoot);
            }

            (string text, DateTime touched)? held = Read(path);
            if (held is not { } lease)
            {
                continue;
            }

            if (IsStale(lease.text, lease.touched))
            {
                PutAside(path, lease.text);
                continue;
            }

            string holder = Describe(lease.text);
            if (!wait)
            {
                throw new CairnException($"{holder} is writing {root} (it holds {path}); wait for it to end ('{command} --wait' waits for it), or stop it.", ExitCodes.Busy);
            }

            if (!told)
            {
                warn($"waiting for {holder}, which is writing {root}, to end...");
                told = true;
            }

            Thread.Sleep(1000);
        }
    }

    /// <summary>Who is writing the store at <paramref name="root"/> now, in words; null when no one holds its lease (or its holder is gone).</summary>
    public static string? Holder(string root) =>
        Read(Path.Combine(root, FileName)) is { } lease && !IsStale(lease.Text, lease.Touched) ? Describe(lease.Text) : null;

    /// <summary>Who holds a lease, in words: its command, process and host.</summary>
    private static string Describe(string text)
    {
        string[] parts = text.Split(' ', 4);
        return parts.Length == 4 ? $"'{parts[3]}' (process {parts[1]} on {parts[0]})" : "another process";
    }

    /// <summary>A lease whose holder is gone: its process on this host has ended, or no one touched it for <see cref="Expiry"/>.</summary>
    private static bool IsStale(string text, DateTime touched)
    {
        string[] parts = text.Split(' ', 4);
        if (parts.Length == 4 && parts[0] == Environment.MachineName && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid))
        {
            return !CampaignStore.IsRunning(pid);
        }

        return DateTime.UtcNow - touched > Expiry;
    }

    private static bool TryCreate(string path, string token)
    {
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            file.Write(Encoding.UTF8.GetBytes(token));
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static (string Text, DateTime Touched)? Read(string path)
    {
        try
        {
            return (File.ReadAllText(path), File.GetLastWriteTimeUtc(path));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Moves a stale lease out of the way by a rename, which one process alone can win; a process
    /// that moved a lease someone had just made in its place (not the stale text it read) puts it back.
    /// </summary>
    private static void PutAside(string path, string stale)
    {
        string aside = $"{path}.{Guid.NewGuid():N}.stale";
        try
        {
            File.Move(path, aside);
        }
        catch (FileNotFoundException)
        {
            return;
        }

        if (File.ReadAllText(aside) != stale)
        {
            try
            {
                File.Move(aside, path, overwrite: false);
                return;
            }
            catch (IOException)
            {
            }
        }

        File.Delete(aside);
    }

    private bool IsOurs() => Read(_path) is { } held && held.Text == _token;

    private void Touch()
    {
        try
        {
            if (IsOurs())
            {
                File.SetLastWriteTimeUtc(_path, DateTime.UtcNow);
            }
        }
        catch (IOException)
        {
        }
    }

    public void Dispose()
    {
        _heartbeat.Dispose();
        if (IsOurs())
        {
            File.Delete(_path);
        }

        if (_madeRoot is not null && !Directory.EnumerateFileSystemEntries(_madeRoot).Any())
        {
            Directory.Delete(_madeRoot);
        }
    }
}
