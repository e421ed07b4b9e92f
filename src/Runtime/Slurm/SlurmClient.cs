using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;

using Cairn.Scheduling;

namespace Cairn.Slurm;

/// <summary>Slurm's commands (sbatch, squeue, scontrol, sacct, scancel), called as the user would.</summary>
internal static class SlurmClient
{
    /// <summary>Submits <paramref name="script"/>; returns the job id.</summary>
    /// <exception cref="SchedulerException">sbatch is missing or refused the job: its message verbatim, and what to change.</exception>
    public static string Submit(string script, string what, string? dependency = null)
    {
        string[] args = dependency is null ? ["--parsable", script] : ["--parsable", "--dependency=" + dependency, script];
        (int exit, string stdout, string stderr) = Call("sbatch", args);
        string id = stdout.Trim().Split(';')[0];
        if (exit != 0 || !long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            string message = string.Join(" ", (stderr + stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            throw new SchedulerException($"sbatch refused {what}: {message} -- change --partition (sinfo lists them), --account, --time, --mem or --cpus-per-task to what the site allows; nothing was submitted.");
        }

        return id;
    }

    /// <summary>Cancels jobs (of a submission that failed half-way).</summary>
    public static void Cancel(IEnumerable<string> jobs)
    {
        string[] ids = jobs.ToArray();
        if (ids.Length > 0)
        {
            _ = Call("scancel", ids);
        }
    }

    /// <summary>The tasks of <paramref name="jobs"/> still in the queue, each with its state (PENDING, RUNNING, ...) and squeue's reason.</summary>
    public static List<QueuedTask> Queued(IEnumerable<string> jobs)
    {
        string[] ids = jobs.ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        (int exit, string stdout, string stderr) = Call("squeue", "-h", "-r", "-j", string.Join(',', ids), "-o", "%i %T %r");
        if (exit != 0)
        {
            // squeue refuses ids it no longer knows: those jobs have left the queue.
            return stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)
                ? []
                : throw new SchedulerException($"squeue failed: {stderr.Trim()}");
        }

        return FromSqueue(stdout);
    }

    /// <summary>
    /// The tasks in <c>squeue -h -r -o "%i %T %r"</c> output ("123_4 PENDING Resources"); a reason
    /// may hold spaces ("ReqNodeNotAvail, UnavailableNodes:vm"), and "None" is no reason.
    /// </summary>
    public static List<QueuedTask> FromSqueue(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 3))
            .Where(parts => parts.Length >= 2)
            .Select(parts => new QueuedTask(parts[0], parts[1], parts.Length == 3 && parts[2] != "None" ? parts[2] : null))
            .ToList();

    /// <summary>
    /// How the tasks of array job <paramref name="job"/> ended: from sacct when the cluster keeps
    /// accounting, else from scontrol, which keeps finished jobs for MinJobAge (300 s by default).
    /// </summary>
    public static List<TaskEnd> Ends(string job)
    {
        (int exit, string stdout, _) = Call("sacct", "-n", "-P", "-X", "-j", job, "-o", "JobID,State,ExitCode");
        if (exit == 0 && stdout.Trim().Length > 0)
        {
            return FromSacct(stdout);
        }

        (exit, stdout, _) = Call("scontrol", "-o", "show", "job", job);
        return exit == 0 ? FromScontrol(stdout) : [];
    }

    /// <summary>The array tasks in <c>sacct -n -P -X -o JobID,State,ExitCode</c> output ("123_4|OUT_OF_MEMORY|0:125").</summary>
    public static List<TaskEnd> FromSacct(string output)
    {
        var ends = new List<TaskEnd>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] fields = line.Split('|');
            string[] id = fields[0].Split('_');
            if (fields.Length >= 3 && id.Length == 2 && int.TryParse(id[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int task))
            {
                // "CANCELLED by 0": the state is the first word.
                ends.Add(new TaskEnd(task, fields[1].Split(' ')[0], fields[2]));
            }
        }

        return ends;
    }

    /// <summary>The array tasks in <c>scontrol -o show job</c> output, one job per line of Key=Value fields.</summary>
    public static List<TaskEnd> FromScontrol(string output)
    {
        var ends = new List<TaskEnd>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f.Split('=', 2))
                .Where(kv => kv.Length == 2)
                .GroupBy(kv => kv[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
            // A still pending part of an array shows as one record with a range ("ArrayTaskId=4-9").
            if (fields.TryGetValue("ArrayTaskId", out string? taskText) && int.TryParse(taskText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int task))
            {
                ends.Add(new TaskEnd(task, fields.GetValueOrDefault("JobState", "UNKNOWN"), fields.GetValueOrDefault("ExitCode", "")));
            }
        }

        return ends;
    }

    /// <summary>Runs a Slurm command; a missing command is a <see cref="SchedulerException"/> that says where Slurm is.</summary>
    public static (int Exit, string Out, string Err) Call(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill();
                throw new SchedulerException($"{command} did not answer within 2 minutes; is slurmctld up? ('scontrol ping' tells)");
            }

            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (Win32Exception)
        {
            throw new SchedulerException($"'{command}' is not on the PATH: submit from a Slurm login node (or start a one-node cluster with the repository's scripts/slurm-local).");
        }
    }
}
