using System;
using System.IO;
using System.Linq;

namespace Cairn.EndToEnd.Tests;

/// <summary>
/// A memory cgroup of its own under this process's (v1 or v2; creating one needs root, as the
/// README's test command runs), with a limit and no swap, so that the kernel's out-of-memory killer
/// ends what outgrows it, as Slurm's task/cgroup plugin has it end a task's processes.
/// </summary>
internal sealed class MemoryCgroup : IDisposable
{
    public MemoryCgroup(long limitBytes)
    {
        string[] lines = File.ReadAllLines("/proc/self/cgroup");
        string? v1 = lines.Select(l => l.Split(':', 3)).Where(p => p[1].Split(',').Contains("memory")).Select(p => p[2]).FirstOrDefault();
        string name = "cairn-test-" + Guid.NewGuid().ToString("N");
        if (v1 is not null)
        {
            Path = $"/sys/fs/cgroup/memory{v1.TrimEnd('/')}/{name}";
            Directory.CreateDirectory(Path);
            File.WriteAllText(System.IO.Path.Combine(Path, "memory.limit_in_bytes"), $"{limitBytes}");
            string swap = System.IO.Path.Combine(Path, "memory.memsw.limit_in_bytes");
            if (File.Exists(swap))
            {
                File.WriteAllText(swap, $"{limitBytes}");
            }
        }
        else
        {
            string v2 = lines.Single(l => l.StartsWith("0::", StringComparison.Ordinal))[3..].TrimEnd('/');
            Path = $"/sys/fs/cgroup{v2}/{name}";
            Directory.CreateDirectory(Path);
            File.WriteAllText(System.IO.Path.Combine(Path, "memory.max"), $"{limitBytes}");
            File.WriteAllText(System.IO.Path.Combine(Path, "memory.swap.max"), "0");
        }
    }

    public string Path { get; }

    /// <summary>The file a process writes its id to, to enter the cgroup.</summary>
    public string Processes => System.IO.Path.Combine(Path, "cgroup.procs");

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> inside the cgroup (a shell enters it, then becomes the program).</summary>
    public (int Exit, string Out, string Err) Run((string Name, string Value)[] environment, string workingDirectory, string file, params string[] args) =>
        Shell.RunWith(environment, "sh", workingDirectory, ["-c", "echo $$ > \"$0\" && exec \"$@\"", Processes, file, .. args]);

    public void Dispose() => Directory.Delete(Path);
}
