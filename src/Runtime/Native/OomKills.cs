using System;
using System.IO;
using System.Linq;

namespace Cairn.Native;

/// <summary>
/// How many processes of this process's memory cgroup the out-of-memory killer has killed: the
/// <c>oom_kill</c> count of <c>memory.events</c> (cgroup v2) or <c>memory.oom_control</c> (v1),
/// which counts the kernel's global killer and a cgroup's own limit (as Slurm's task/cgroup sets it)
/// alike. A process killed with SIGKILL while the count rose was killed for memory.
/// </summary>
internal static class OomKills
{
    /// <summary>The count now; null where the kernel does not tell (not Linux, no memory controller).</summary>
    public static long? Count()
    {
        try
        {
            string[] lines = File.ReadAllLines("/proc/self/cgroup");
            // v2: "0::/path"; v1: "N:memory:/path" (maybe among other controllers).
            string? v1 = lines.Select(l => l.Split(':', 3)).Where(p => p.Length == 3 && p[1].Split(',').Contains("memory")).Select(p => p[2]).FirstOrDefault();
            string? v2 = lines.Select(l => l.Split(':', 3)).Where(p => p.Length == 3 && p[0] == "0" && p[1].Length == 0).Select(p => p[2]).FirstOrDefault();
            return (v1 is not null ? Read($"/sys/fs/cgroup/memory{v1}/memory.oom_control") : null)
                ?? (v2 is not null ? Read($"/sys/fs/cgroup{v2}/memory.events") ?? Read($"/sys/fs/cgroup/unified{v2}/memory.events") : null);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("oom_kill ", StringComparison.Ordinal));
        return line is not null && long.TryParse(line.AsSpan("oom_kill ".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n) ? n : null;
    }
}
