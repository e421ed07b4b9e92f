using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Native;
using Cairn.Storage;

namespace Cairn.Cli;

/// <summary>
/// <c>run</c> from the console, and <c>worker</c> in a Slurm task, run their work in a child process
/// and watch it. When the child ends while steps run (a crash or abort, a stack overflow, the
/// out-of-memory killer, an exit inside a step), its <see cref="CrashJournal"/> tells the points in
/// flight: they are recorded as failed (<see cref="FailureCauses.Crashed"/> with the signal or exit
/// code and the step, or <see cref="FailureCauses.OutOfMemory"/> when the out-of-memory killer's
/// count rose, <see cref="OomKills"/>) and a new child computes the rest, leaving them out.
/// <c>--isolate</c> first runs each such point alone in a child of its own: the guilty one crashes
/// again and is named, the others finish. A kill of the whole run (the supervisor, whose child then
/// dies with it) records nothing: its points stay pending.
/// <para>
/// A Slurm task's batch shell watches its first child itself, which costs nothing, and hands over
/// only when the child ended badly: it then runs the supervisor with <c>--child-ended EXIT --journal
/// PATH</c>, which takes that end as its first child's and goes on as above (see
/// <see cref="Slurm.BatchScripts"/>).
/// </para>
/// </summary>
internal static class Supervisor
{
    /// <summary>Set for the child: the journal its workers write.</summary>
    public const string JournalVariable = "CAIRN_JOURNAL";

    /// <summary>Set for the child: how many points this run recorded as crashed so far (its report says so).</summary>
    public const string CrashedVariable = "CAIRN_CRASHED";

    /// <summary>Set for the child: the supervisor's process id, which the child dies with.</summary>
    public const string ParentVariable = "CAIRN_SUPERVISOR";

    /// <summary>Set for the child: a file of the points this supervisor recorded as failed, which the child leaves out.</summary>
    public const string LeaveOutVariable = "CAIRN_LEAVE_OUT";

    /// <summary><c>CAIRN_SUPERVISE=0</c> runs in this process, unwatched.</summary>
    public const string SwitchVariable = "CAIRN_SUPERVISE";

    /// <summary>Names the files of crash journals: the prefix, then the process id of whoever watches the child.</summary>
    public const string JournalPrefix = "cairn-journal-";

    /// <summary>The option by which a batch shell hands over a child that ended with the exit code given, having kept the journal named by <see cref="JournalOption"/>.</summary>
    public const string ChildEndedOption = "--child-ended";

    /// <summary>The journal the batch shell's child kept.</summary>
    public const string JournalOption = "--journal";

    /// <summary>A run gives up after this many crashes: a step that ends the process for every point would otherwise restart it once per point.</summary>
    public const int MaxCrashes = 20;

    /// <summary>Whether this process should supervise a child rather than run: it is not a child, and supervision is not switched off.</summary>
    public static bool Applies =>
        Environment.GetEnvironmentVariable(JournalVariable) is null && Environment.GetEnvironmentVariable(SwitchVariable) != "0";

    /// <summary>
    /// In a child: makes it die with its supervisor, so that a kill of the run leaves no child
    /// writing on; returns the journal path, or null when not a child.
    /// </summary>
    public static string? JoinSupervisor()
    {
        string? journal = Environment.GetEnvironmentVariable(JournalVariable);
        if (journal is not null && int.TryParse(Environment.GetEnvironmentVariable(ParentVariable), out int parent))
        {
            Libc.DieWithParent(Libc.SigKill);
            if (Libc.ParentId() != parent)
            {
                // The supervisor died before the request took effect.
                Environment.Exit(ExitCodes.Error);
            }
        }

        return journal;
    }

    /// <summary>Points recorded as crashed by this run's supervisor, as it told the child.</summary>
    public static long CrashedSoFar => long.TryParse(Environment.GetEnvironmentVariable(CrashedVariable), out long n) ? n : 0;

    /// <summary>In a child: the points its supervisor recorded as failed so far, which it must leave out; empty when not a child.</summary>
    public static IReadOnlySet<PointId> LeftOutSoFar() =>
        Environment.GetEnvironmentVariable(LeaveOutVariable) is { } path && File.Exists(path)
            ? File.ReadAllLines(path).Select(l => PointId.TryParse(l, out PointId id) ? id : (PointId?)null).OfType<PointId>().ToHashSet()
            : new HashSet<PointId>();

    public static int Run<TPoint>(CampaignDefinition<TPoint> definition, CommandLine line, IReadOnlyList<string> args, int workers)
    {
        string store = line.Store();
        RemoveStaleJournals();
        HostCommand host = HostCommand.OfThisProcess();
        string[] childArgs = Without(args.Where(a => a != "--isolate").ToList(), ChildEndedOption, JournalOption);
        using var watch = new ChildWatch(Path.Combine(Path.GetTempPath(), $"{JournalPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}.left-out"));
        (int Exit, List<(Guid Point, int Step)> InFlight, bool OutOfMemory)? handedOver = line.Has(ChildEndedOption)
            ? ChildWatch.Ended(line.Get(JournalOption, "") is { Length: > 0 } journal ? journal : throw new UsageException($"'{ChildEndedOption}' needs '{JournalOption}', the journal the child kept"), line.PositiveInt(ChildEndedOption, 1))
            : null;
        long crashed = 0;
        if (line.Has("--isolate"))
        {
            crashed += Isolate(definition, store, host, watch, line.Warn);
            if (watch.Signalled)
            {
                return watch.SignalExit;
            }
        }

        for (int crashes = 0; ; crashes++)
        {
            if (crashes == MaxCrashes)
            {
                line.Warn($"error: the run's process ended {MaxCrashes} times while steps ran, and {crashed} point(s) are recorded as CRASHED: see 'status', fix the step, then 'run --isolate'.");
                return ExitCodes.StepsFailed;
            }

            (int exit, List<(Guid Point, int Step)> inFlight, bool outOfMemory) = handedOver ?? watch.Run(host, childArgs, workers, crashed, quiet: false);
            handedOver = null;
            // A child stopped by a signal of its own (130, 143) left on purpose what still ran: no crash.
            if (watch.Signalled || inFlight.Count == 0 || exit is ExitCodes.Interrupted or ExitCodes.Terminated)
            {
                if (inFlight.Count == 0 && exit > 128 && !watch.Signalled)
                {
                    line.Warn($"error: the run's process ended by {Describe(exit)} outside any step; run again (what was committed is kept).");
                }

                return exit;
            }

            string cause = CauseOf(outOfMemory);
            crashed += watch.Record(definition, store, inFlight, cause, $"the process ended ({Describe(exit, outOfMemory)}) while this step ran for this point, or for another point beside it; 'run --isolate' runs each such point alone to find the one that ends it");
            line.Warn($"the run's process ended ({Describe(exit, outOfMemory)}) while {inFlight.Count} point(s) ran: recorded as failed ({cause}); going on with the other points.");
        }
    }

    /// <summary><paramref name="args"/> without the options named (each with its value, given as the next word or after '=').</summary>
    private static string[] Without(IReadOnlyList<string> args, params string[] valued)
    {
        var kept = new List<string>(args.Count);
        for (int i = 0; i < args.Count; i++)
        {
            if (valued.Contains(args[i]))
            {
                i++;
            }
            else if (!valued.Any(option => args[i].StartsWith(option + "=", StringComparison.Ordinal)))
            {
                kept.Add(args[i]);
            }
        }

        return kept.ToArray();
    }

    /// <summary>Deletes the journals that supervisors killed before they could (their process is gone).</summary>
    private static void RemoveStaleJournals()
    {
        foreach (string journal in Directory.EnumerateFiles(Path.GetTempPath(), JournalPrefix + "*"))
        {
            string[] parts = Path.GetFileName(journal)[JournalPrefix.Length..].Split('-');
            if (int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) && !CampaignStore.IsRunning(pid))
            {
                File.Delete(journal);
            }
        }
    }

    /// <summary>Runs every point whose open failure is CRASHED alone, one child each; returns how many crashed again.</summary>
    private static long Isolate<TPoint>(CampaignDefinition<TPoint> definition, string root, HostCommand host, ChildWatch watch, Action<string> warn)
    {
        CampaignStore store = CampaignStore.Open(root, definition.Graph.Name, create: false);
        List<Guid> suspects;
        using (PointMasks masks = StoredState.Load(store, definition, Environment.ProcessorCount))
        {
            suspects = OpenFailures.OfPoints(store, definition.Graph, masks).Where(f => f.ErrorType == FailureCauses.Crashed).Select(f => f.Point).Distinct().ToList();
        }

        long again = 0;
        foreach (Guid point in suspects)
        {
            string id = PointId.FromGuid(point).ToString();
            (int exit, List<(Guid Point, int Step)> inFlight, bool outOfMemory) = watch.Run(host, ["run", "--store", root, "--only", id, "--workers", "1"], 1, 0, quiet: true);
            if (watch.Signalled)
            {
                break;
            }

            if (inFlight.Count > 0)
            {
                string cause = CauseOf(outOfMemory);
                again += watch.Record(definition, root, inFlight, cause, $"the process ended ({Describe(exit, outOfMemory)}) while this step ran for this point alone in a process of its own: this point ends the process");
                warn($"point {id} ends the process when run alone ({Describe(exit, outOfMemory)}): recorded as failed ({cause}).");
            }
            else
            {
                warn($"point {id} ran alone without ending the process (exit {exit}).");
            }
        }

        return again;
    }

    /// <summary>The cause recorded for the points a child was running when it ended.</summary>
    private static string CauseOf(bool outOfMemory) => outOfMemory ? FailureCauses.OutOfMemory : FailureCauses.Crashed;

    /// <summary>How a process ended, from its exit code (128 + N for signal N) and whether the out-of-memory killer's count rose meanwhile.</summary>
    public static string Describe(int exit, bool outOfMemory = false) => exit switch
    {
        137 when outOfMemory => "signal 9, SIGKILL, from the out-of-memory killer: its memory cgroup's oom_kill count rose",
        134 => "signal 6, SIGABRT: an abort, such as Environment.FailFast, a stack overflow or a crash in native code",
        137 => "signal 9, SIGKILL: killed, most often by the out-of-memory killer",
        139 => "signal 11, SIGSEGV: a crash in native code",
        > 128 and < 160 => $"signal {exit - 128}",
        _ => $"exit code {exit}, from inside a step (Environment.Exit?)",
    };

    /// <summary>
    /// The child of the moment, and the signals this process receives meanwhile: each is passed on
    /// to the child (which stops as a run does), and none ends this process.
    /// </summary>
    private sealed class ChildWatch : IDisposable
    {
        private readonly PosixSignalRegistration[] _registrations;
        private readonly string _leaveOut;
        private int _child;
        private int _signal;

        /// <param name="leaveOut">The file of the points recorded as failed, which every child leaves out; deleted with the watch.</param>
        public ChildWatch(string leaveOut)
        {
            _leaveOut = leaveOut;
            _registrations = Interruption.Register(Forward);
        }

        /// <summary>Whether a signal came: the run is being stopped, and nothing that ends now is a crash.</summary>
        public bool Signalled => Volatile.Read(ref _signal) != 0;

        public int SignalExit => Interruption.ExitCodeOf(Volatile.Read(ref _signal));

        /// <summary>
        /// Runs a child to its end with a fresh journal; its exit code, what it was inside when it
        /// ended, and whether the out-of-memory killer killed it.
        /// </summary>
        public (int Exit, List<(Guid Point, int Step)> InFlight, bool OutOfMemory) Run(HostCommand host, IReadOnlyList<string> args, int workers, long crashed, bool quiet)
        {
            string journal = Path.Combine(Path.GetTempPath(), $"{JournalPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
            CrashJournal.Create(journal, CrashJournal.SlotsFor(workers));
            int exit;
            try
            {
                (string file, string[] first) = host.In(AppContext.BaseDirectory);
                var start = new ProcessStartInfo(file, [.. first, .. args]) { RedirectStandardOutput = quiet, RedirectStandardError = quiet };
                start.Environment[JournalVariable] = journal;
                start.Environment[ParentVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
                start.Environment[CrashedVariable] = crashed.ToString(System.Globalization.CultureInfo.InvariantCulture);
                start.Environment[LeaveOutVariable] = _leaveOut;
                using Process child = Process.Start(start)!;
                if (quiet)
                {
                    child.OutputDataReceived += (_, _) => { };
                    child.ErrorDataReceived += (_, _) => { };
                    child.BeginOutputReadLine();
                    child.BeginErrorReadLine();
                }

                Volatile.Write(ref _child, child.Id);
                child.WaitForExit();
                Volatile.Write(ref _child, 0);
                exit = child.ExitCode;
            }
            catch
            {
                File.Delete(journal);
                throw;
            }

            return Ended(journal, exit);
        }

        /// <summary>
        /// What a child that ended with <paramref name="exit"/> was inside, read from its journal
        /// (then deleted), and whether the out-of-memory killer killed it.
        /// </summary>
        public static (int Exit, List<(Guid Point, int Step)> InFlight, bool OutOfMemory) Ended(string journal, int exit)
        {
            try
            {
                return (exit, CrashJournal.InFlight(journal), CrashJournal.KilledForMemory(journal, exit));
            }
            finally
            {
                File.Delete(journal);
            }
        }

        /// <summary>
        /// Records the points in flight as failed at the step they were in, and adds them to the
        /// points the next children leave out; returns how many points.
        /// </summary>
        public int Record<TPoint>(CampaignDefinition<TPoint> definition, string root, List<(Guid Point, int Step)> inFlight, string cause, string message)
        {
            CampaignStore store = CampaignStore.Open(root, definition.Graph.Name, create: false);
            var failures = new FailureBuffer();
            foreach ((Guid point, int step) in inFlight.Distinct())
            {
                failures.Add(definition.Graph.Steps[step].Name, point, cause, message);
            }

            store.CommitTable(store.FailuresDirectory, "failures", failures.All);
            List<Guid> points = inFlight.Select(f => f.Point).Distinct().ToList();
            File.AppendAllLines(_leaveOut, points.Select(p => PointId.FromGuid(p).ToString()));
            return points.Count;
        }

        private void Forward(PosixSignalContext context)
        {
            context.Cancel = true;
            Interlocked.CompareExchange(ref _signal, (int)context.Signal, 0);
            if (Volatile.Read(ref _child) is int child and > 0)
            {
                _ = Libc.Kill(child, Interruption.NumberOf(context.Signal));
            }
        }

        public void Dispose()
        {
            foreach (PosixSignalRegistration registration in _registrations)
            {
                registration.Dispose();
            }

            File.Delete(_leaveOut);
        }
    }
}
