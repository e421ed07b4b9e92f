using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Linq;
using static Cairn.Cli.OptionKinds;

namespace Cairn.Cli;

/// <summary>
/// Every verb of a campaign's host and every option of each, declared once: System.CommandLine
/// parses and checks the command line against them, writes <c>--help</c> for the host and each
/// verb, suggests the nearest verb or option for a misspelt one, and completes them in a shell
/// (<c>[suggest]</c>). The verbs' work is bound in <see cref="Hosting.CampaignHost"/>; README's
/// table of verbs is tested against these declarations.
/// </summary>
internal static class Verbs
{
    public static readonly Option<string> Store = Text("--store", "DIR", "the store (default ./campaign)");
    public static readonly Option<bool> Json = Flag("--json", "print one JSON document instead of text");
    public static readonly Option<bool> SkipCorrupt = Flag("--skip-corrupt", "report an unreadable shard and go on without it (it is never deleted)");
    public static readonly Option<bool> Wait = Flag("--wait", "wait for another writer of the store to end (else exit 9)");
    public static readonly Option<bool> DryRun = Flag("--dry-run", "say what would be done, and do nothing");
    public static readonly Option<TimeSpan> StepTimeout = Duration("--step-timeout", "the time limit of a step that declares none: a point past it fails as TIMEOUT (30s, 5m, 1:00:00)");
    public static readonly Option<string> StoreFormat = Choice("--format", "a new store's format", "parquet", "hdf5");
    public static readonly Option<long> Workers = Count("--workers", "worker threads (default: one per core; at most 64 per core)");
    public static readonly Option<TimeSpan> ProgressInterval = Duration(ProgressDisplays.IntervalOption, "where stderr is not a terminal, a progress line this often (default 30s)");
    public static readonly Option<bool> Quiet = Flag(ProgressDisplays.QuietFlag, "no progress lines");
    public static readonly Option<long> Rows = Count("--rows", "rows per file (default 1000000): shards under half of it are merged");
    public static readonly Option<long> Submission = Count("--submission", "the submission's number");
    public static readonly Option<string> Site = Text("--site", "FILE", "the site file: how MPI programs are launched here (default $CAIRN_SITE, else mpirun -np {ranks})");

    /// <summary>The host's verbs and their options; the verbs have no action yet.</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand("The campaign's host: computes its results into a store, and shows them.")
        {
            Verb("run", "compute every missing result, then compact the store (Ctrl-C or SIGTERM: the finished results are kept, exit 130/143)",
                Store, Workers, StoreFormat, StepTimeout, Rows, Site,
                Flag("--isolate", "first run each point that crashed the process (CRASHED) alone, then the rest"),
                Wait, Json, SkipCorrupt, ProgressInterval, Quiet,
                Hide(Text("--only", "ID", "run this point alone (for --isolate)"))),
            Verb("status", "progress per step, failures by cause, and the Slurm tasks queued or running",
                Store, Json, SkipCorrupt,
                Flag("--watch", "report again every --interval seconds until no Slurm task is left"),
                Count("--interval", "seconds between reports of --watch (default 10)")),
            Verb("graph", "the steps and their products",
                Choice("--format", "what to print", "text", "mermaid")),
            Verb("results", "print one product's current results",
                new Argument<string>("product") { Description = "the product to print" },
                Store, Choice("--format", "how to print them", "csv", "json"),
                Flag("--with-points", "the point's parameters beside each row"),
                Flag("--all-versions", "every stored row, history too, with its key"),
                Text("--extract", "DIR", "write each byte[] value (a file a step kept) to a file in DIR and print its path"),
                SkipCorrupt),
            Verb("provenance", "the code, inputs and runs behind a current result",
                new Argument<string>("product") { Description = "the product of the result" },
                Text("--point", "ID", "the point of a per-point result (for a reduction: its chain in the map)"),
                Store, Choice("--format", "how to print it", "text", "prov-json"), SkipCorrupt),
            Verb("report", "one HTML page of the store: progress, failures, time and memory per step, Slurm submissions, plots of the results",
                Store, Text("--out", "FILE", "where to write it (default DIR/report.html)"),
                Text("--x", "P", "the point parameter the result plots are drawn against"),
                Text("--series", "P", "a series per value of this point parameter"),
                Flag("--watch", "write it again every --interval seconds while a run or submission writes the store"),
                Count("--interval", "seconds between pages of --watch (default 30)"),
                Json, SkipCorrupt),
            Verb("compact", "move what is no longer current to history/, merge small shards (of all writers) into files of N rows",
                Store, Rows, Json, SkipCorrupt),
            Verb("verify", "read every shard whole (page checksums too); name the damaged",
                Store, Json),
            Verb("prune", "remove history: all of it, rows made before DATE, or all but the newest K versions of each product",
                Store, Flag("--all", "all of the history"),
                Date("--before", "the rows made before this date or time (UTC: 2026-11-30, 2026-11-30T12:00)"),
                Count("--keep", "keep the newest K code versions of each product"),
                DryRun, Json, SkipCorrupt),
            Verb("submit", "run the pending points as Slurm job arrays, then a finish job (global steps, compaction)", Submit()),
            Verb("retry", "resubmit only the failed points: out-of-memory ones with more memory, timed-out ones with more time",
                [.. Submit(),
                    Factor("--mem-factor", "memory of OUT_OF_MEMORY points, times F (default 2)"),
                    Factor("--time-factor", "time of TIMEOUT points, times F (default 2)")]),
            Hide(Verb("worker", "run one task of a submission (its batch script does)",
                Store, Submission, Index("--array", "the array"), Index("--task", "the task"), Workers,
                Count("--points-at-once", "points run at once"), StepTimeout, ProgressInterval, Quiet,
                Hide(Count(Supervisor.ChildEndedOption, "the exit code of the worker the batch shell watched")),
                Hide(Text(Supervisor.JournalOption, "FILE", "the journal that worker kept")))),
            Hide(Verb("finish", "run a submission's global steps and compaction (its finish job does)",
                Store, Submission, Text("--scheduler", "NAME", "the scheduler"), Text("--jobs", "IDS", "the arrays' job ids"), Workers)),
            Verb("help", "this text"),
        };
        HelpOption help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithEpilogue((SynchronousCommandLineAction)help.Action!);
        return root;
    }

    /// <summary>The options of <c>submit</c>, which <c>retry</c> takes too.</summary>
    private static Symbol[] Submit() =>
    [
        Flag("--slurm", "submit to Slurm (the one scheduler Cairn submits to)"),
        Store, SlurmName("--partition", "P", "Slurm's partition"), SlurmName("--account", "A", "Slurm's account"),
        Duration("--time", "each task's time limit (default: from --task-time and what provenance measured)"),
        Memory("--mem", "each task's memory (4G, 500M; MiB without a unit)"),
        Count("--cpus-per-task", "cores per task (default: what the widest step's [Resources] needs)"),
        Count("--points-per-task", "points per task (else from --task-time)"),
        Duration("--task-time", "how long a task should run, from what provenance measured (default 30m)"),
        Count("--max-array", "tasks per array at most (default 1000)"),
        Count("--throttle", "tasks of an array running at once at most"),
        DryRun, StoreFormat, StepTimeout, Site,
        Memory("--finish-mem", "the finish job's memory (default from provenance)"),
        Duration("--finish-time", "the finish job's time limit (default from provenance)"),
        Count("--finish-cpus", "the finish job's cores, on which a grouped reduction runs its groups at once (default: --cpus-per-task)"),
        Wait, Json, SkipCorrupt,
    ];

    private const string Epilogue = """
        The store defaults to ./campaign. run, status, results, provenance, report, compact and prune take
        --skip-corrupt: an unreadable shard is reported and skipped (never deleted) instead of stopping the
        command; run first reads every shard whole, so that whatever a damaged one held is computed again.

        Exit codes: 0 done, 1 error, 2 usage, 3 some steps failed, 4 the store holds another campaign or
        an unreadable file, 5 no such point or result yet, 6 a system library is missing (HDF5 for
        --format hdf5), 7 Slurm refused the job (its message is shown), is not reachable, or an earlier
        submission still runs, 8 the disk is full (what was committed is kept), 9 another process is
        writing the store (--wait waits for it), 10 a program a step runs ([Runs]) is not found (or
        does not print its version as [Runs] says), 130/143/138 stopped by Ctrl-C, SIGTERM or SIGUSR1
        (what was finished is kept).

        Shell completion: <host> "[suggest:N]" "<command line>" prints what completes the word at
        position N of the command line (README shows a bash function that asks it).
        """;

    private static Command Verb(string name, string description, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (Symbol symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
            }
        }

        return command;
    }

    private static T Hide<T>(T symbol)
        where T : Symbol
    {
        symbol.Hidden = true;
        return symbol;
    }

    /// <summary>System.CommandLine's help, and under the host's own (not a verb's) the store's default, the exit codes and completion.</summary>
    private sealed class HelpWithEpilogue(SynchronousCommandLineAction help) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            int exit = help.Invoke(parseResult);
            if (parseResult.CommandResult.Command is RootCommand)
            {
                parseResult.InvocationConfiguration.Output.WriteLine(Epilogue);
            }

            return exit;
        }
    }
}
