using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Cairn.Scheduling;

namespace Cairn.Slurm;

/// <summary>The sbatch scripts of a submission: one per job array, and the finish job's.</summary>
internal static class BatchScripts
{
    /// <summary>The script of <paramref name="array"/>: each task runs the host in worker mode on its bundle.</summary>
    public static string Array(SubmissionScripts scripts, JobArray array)
    {
        (string campaign, string store, int submission, string directory, HostImage host, int? throttle, TimeSpan? stepTimeout) = scripts;
        string range = array.Tasks == 1 ? "0" : $"0-{array.Tasks - 1}";
        string limit = throttle is int k ? "%" + k.ToString(CultureInfo.InvariantCulture) : "";
        var script = new StringBuilder();
        script.Append("#!/bin/bash\n");
        script.Append(CultureInfo.InvariantCulture, $"# Cairn: campaign {campaign}, submission {submission}, array {array.Index} ({array.Cause}): {array.Points} points in {array.Tasks} tasks of up to {array.PointsPerTask}.\n");
        script.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name=cairn-{campaign}-{submission}\n");
        script.Append(CultureInfo.InvariantCulture, $"#SBATCH --array={range}{limit}\n");
        script.Append(Output(Submission.LogsPath(directory), "%A_%a.log"));
        script.Append(Directives(array.Resources));
        script.Append(Warning(array.Resources.Time));
        script.Append(Start(host, store));
        script.Append("worker=(").Append(host.Command("\"$node\"")).Append(' ');
        script.Append(Shell.Join(["worker", "--store", store, "--submission", Num(submission), "--array", Num(array.Index)]));
        script.Append(" --task \"$SLURM_ARRAY_TASK_ID\" --workers \"${SLURM_CPUS_PER_TASK:-1}\"");
        if (array.PointsAtOnce is int atOnce)
        {
            script.Append(" --points-at-once ").Append(Num(atOnce));
        }

        if (stepTimeout is { } stepLimit)
        {
            script.Append(CultureInfo.InvariantCulture, $" --step-timeout {(long)Math.Ceiling(stepLimit.TotalSeconds)}s");
        }

        script.Append(")\n");
        script.Append(Watch);
        return script.ToString();
    }

    /// <summary>
    /// The lines that run <c>"${worker[@]}"</c> as the batch shell's child and watch it, as the host's
    /// own supervisor would (<see cref="Cli.Supervisor"/>) but without a second .NET process for every
    /// task: the shell passes Slurm's signals on (SIGUSR1 before the limit, SIGTERM at it or at
    /// <c>scancel</c>), and only when the child ended badly while not told to stop does it hand over
    /// to the supervisor, which records the points the child's journal names and computes the rest.
    /// </summary>
    internal static readonly string Watch = $$"""
        # The worker is this shell's child: the shell passes Slurm's signals on to it and, if it ends
        # badly (a crash, the out-of-memory killer), hands its journal over to the host's supervisor,
        # which records the points that were in flight and computes the rest.
        journal="${TMPDIR:-/tmp}/{{Cli.Supervisor.JournalPrefix}}$$-${SLURM_JOB_ID:-0}"
        export {{Cli.Supervisor.JournalVariable}}="$journal" {{Cli.Supervisor.ParentVariable}}=$$
        signal= child=
        for s in USR1 TERM INT; do trap "signal=$s; kill -$s \$child 2>/dev/null || true" "$s"; done
        "${worker[@]}" &
        child=$!
        # A trapped signal ends 'wait' early; wait again until the child itself has ended.
        while :; do
          rc=0; wait "$child" || rc=$?
          kill -0 "$child" 2>/dev/null || break
        done
        if [ "$rc" -ne 0 ] && [ -z "$signal" ]; then
          trap - USR1 TERM INT
          unset {{Cli.Supervisor.JournalVariable}} {{Cli.Supervisor.ParentVariable}}
          exec "${worker[@]}" {{Cli.Supervisor.ChildEndedOption}} "$rc" {{Cli.Supervisor.JournalOption}} "$journal"
        fi
        # The worker deletes its journal unless it died (then the supervisor does): rarely a file left here.
        if [ -e "$journal" ]; then rm -f "$journal"; fi
        exit "$rc"

        """.Replace("\r", "", StringComparison.Ordinal);

    /// <summary>The <c>#SBATCH</c> lines that ask for <paramref name="resources"/>.</summary>
    private static string Directives(TaskResources resources) => string.Concat(resources.Options().Select(option => "#SBATCH " + option + "\n"));

    /// <summary>How long before its time limit a task asks to be warned (Slurm may warn up to 60 s earlier still).</summary>
    public static readonly TimeSpan WarningLead = TimeSpan.FromSeconds(60);

    /// <summary>The shortest time limit for which a task asks for the warning: below it the lead would eat too much of the task.</summary>
    public static readonly TimeSpan WarnedFrom = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The line that asks Slurm to send the task's batch shell, which passes it on to the worker
    /// (<see cref="Watch"/>), SIGUSR1 <see cref="WarningLead"/> before the time limit: the worker then stops
    /// and commits what it finished while there is time, rather than within KillWait after SIGTERM.
    /// </summary>
    private static string Warning(TimeSpan? time) =>
        time is { } limit && LeadBefore(limit) > TimeSpan.Zero ? $"#SBATCH --signal=B:USR1@{(int)WarningLead.TotalSeconds}\n" : "";

    /// <summary>How long before <paramref name="limit"/> a task is warned: <see cref="WarningLead"/> from <see cref="WarnedFrom"/> on, else not at all.</summary>
    public static TimeSpan LeadBefore(TimeSpan limit) => limit >= WarnedFrom ? WarningLead : TimeSpan.Zero;

    /// <summary>The finish job's script: records why dead tasks died, runs the global steps, compacts.</summary>
    public static string Finish(SubmissionScripts scripts, IReadOnlyList<JobArray> arrays, TaskResources resources)
    {
        (string campaign, string store, int submission, string directory, HostImage host, _, _) = scripts;
        var script = new StringBuilder();
        script.Append("#!/bin/bash\n");
        script.Append(CultureInfo.InvariantCulture, $"# Cairn: campaign {campaign}, submission {submission}: after its arrays, record why dead tasks died, run the global steps, compact.\n");
        script.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name=cairn-{campaign}-{submission}-finish\n");
        script.Append(Output(Submission.LogsPath(directory), "finish_%j.log"));
        script.Append(Directives(resources));
        script.Append(Start(host, store));
        string jobs = string.Join(',', arrays.Select(a => a.Job));
        script.Append("exec ").Append(host.Command("\"$node\"")).Append(' ');
        script.Append(Shell.Join(["finish", "--store", store, "--submission", Num(submission), "--scheduler", "slurm", "--jobs", jobs]));
        // The groups of a grouped reduction run at once on the job's cores, and no more.
        script.Append(" --workers \"${SLURM_CPUS_PER_TASK:-1}\"\n");
        return script.ToString();
    }

    /// <summary>
    /// The lines before the host starts: the first task on a node copies the published image from the
    /// store to the node's disk (under a lock), every task runs that copy, <c>"$node"</c>.
    /// </summary>
    private static string Start(HostImage host, string store) => $$"""
        set -euo pipefail
        image={{Shell.Quote(host.PathIn(store))}}
        node="${CAIRN_NODE_CACHE:-/tmp}/cairn-host-{{host.Hash}}"
        # The host is read from the shared file system once per node, not once per task.
        if [ ! -e "$node/.complete" ]; then
          mkdir -p "$node"
          ( flock 9; if [ ! -e "$node/.complete" ]; then cp -R "$image/." "$node/" && touch "$node/.complete"; fi ) 9>"$node.lock"
        fi

        """.Replace("\r", "", System.StringComparison.Ordinal);

    /// <summary>
    /// The <c>#SBATCH --output</c> line of logs in <paramref name="directory"/>: in double quotes (sbatch
    /// reads them, so a space is kept), with every '%' of the directory doubled (a file name pattern
    /// reads %A, %a, %j; %% is a '%').
    /// </summary>
    /// <exception cref="Cli.UsageException">The path holds what a line of a script cannot carry.</exception>
    private static string Output(string directory, string pattern) =>
        directory.IndexOfAny(['"', '\n', '\r']) >= 0
            ? throw new Cli.UsageException($"the store path '{directory}' holds a double quote or a line break, which a Slurm script cannot carry; give --store another path")
            : $"#SBATCH --output=\"{directory.Replace("%", "%%", System.StringComparison.Ordinal)}/{pattern}\"\n";

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
