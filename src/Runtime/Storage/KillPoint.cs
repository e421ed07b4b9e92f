using System;
using System.Threading;
using Cairn.Native;

namespace Cairn.Storage;

/// <summary>
/// Named instants between two changes to a store at which a test can have the process killed, as
/// <c>kill -9</c>, the OOM killer or a power cut would kill it: <c>CAIRN_KILL_AT=compact.deleted:3</c>
/// sends this process SIGKILL the third time it passes <see cref="CompactDeleted"/>. Unset, as in
/// every real run, passing one costs a null check. The tests kill a process at every instant so
/// named to show that none loses or doubles a result.
/// </summary>
internal static class KillPoint
{
    /// <summary>A compaction (<c>compact</c>, or the end of a run) has begun and changed nothing yet.</summary>
    public const string CompactStarting = "compact.starting";

    /// <summary>A merged file of a compaction is committed; the sources it holds are not yet deleted.</summary>
    public const string CompactCommitted = "compact.committed";

    /// <summary>A compaction deleted one source whose rows a committed merged file holds.</summary>
    public const string CompactDeleted = "compact.deleted";

    /// <summary>One of the two files a shard is split into (current rows, history) is committed; the shard is not yet deleted.</summary>
    public const string HistoryCommitted = "history.committed";

    public const string Variable = "CAIRN_KILL_AT";

    private static readonly Target? s_target = Target.Parse(Environment.GetEnvironmentVariable(Variable));

    private static int s_passes;

    /// <summary>Passes the instant <paramref name="name"/>: dies here when the environment says so.</summary>
    public static void Pass(string name)
    {
        if (s_target is { } target && target.Name == name && Interlocked.Increment(ref s_passes) == target.Pass)
        {
            Libc.Kill(Environment.ProcessId, Libc.SigKill);
            Thread.Sleep(Timeout.Infinite);
        }
    }

    private sealed record Target(string Name, int Pass)
    {
        /// <summary>"name" or "name:N" (the Nth pass, from 1); null when unset.</summary>
        public static Target? Parse(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            int colon = text.LastIndexOf(':');
            return colon < 0 ? new Target(text, 1) : new Target(text[..colon], int.Parse(text[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
