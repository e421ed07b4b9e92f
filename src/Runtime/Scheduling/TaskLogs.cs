using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Cairn.Scheduling;

/// <summary>
/// The logs of a submission's tasks, folded by its finish job into one file,
/// <c>slurm/&lt;n&gt;/tasks.log</c>, so that the files of a submission do not grow with its tasks.
/// Each task's log follows a header line <c>==&gt; &lt;job&gt;_&lt;task&gt;.log &lt;==</c>, as
/// <c>tail</c> prints several files.
/// </summary>
internal static class TaskLogs
{
    public const string FoldedName = "tasks.log";

    public static string FoldedPath(string directory) => Path.Combine(directory, FoldedName);

    /// <summary>The header line of a task's log in the folded file.</summary>
    public static string Header(string job, int task) => $"==> {job}_{task}.log <==";

    /// <summary>
    /// Appends the task logs in <c>logs/</c> to the folded file, each once, and deletes them. The
    /// file grows under a temporary name that is renamed over it, and a log is deleted only after
    /// the file that holds it is committed: a kill in between folds nothing twice on the next call.
    /// </summary>
    /// <returns>How many logs were folded.</returns>
    public static int Fold(string directory)
    {
        string logs = Submission.LogsPath(directory);
        if (!Directory.Exists(logs))
        {
            return 0;
        }

        List<string> tasks = Directory.EnumerateFiles(logs, "*_*.log")
            .Where(p => !Path.GetFileName(p).StartsWith("finish_", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
        if (tasks.Count == 0)
        {
            return 0;
        }

        string folded = FoldedPath(directory);
        var headers = File.Exists(folded)
            ? File.ReadLines(folded).Where(l => l.StartsWith("==> ", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal)
            : [];
        string temporary = folded + ".tmp";
        using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            if (File.Exists(folded))
            {
                using var earlier = File.OpenRead(folded);
                earlier.CopyTo(output);
            }

            foreach (string task in tasks)
            {
                string header = $"==> {Path.GetFileName(task)} <==";
                if (headers.Contains(header))
                {
                    continue;
                }

                output.Write(Encoding.UTF8.GetBytes(header + "\n"));
                byte[] text = File.ReadAllBytes(task);
                output.Write(text);
                if (text.Length > 0 && text[^1] != (byte)'\n')
                {
                    output.WriteByte((byte)'\n');
                }
            }
        }

        File.Move(temporary, folded, overwrite: true);
        foreach (string task in tasks)
        {
            File.Delete(task);
        }

        return tasks.Count;
    }
}
