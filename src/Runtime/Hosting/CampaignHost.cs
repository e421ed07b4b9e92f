using System;
using System.IO;
using Cairn.Cli;

namespace Cairn.Hosting;

/// <summary>The CLI behind the generated <c>Campaign.Run(args)</c>.</summary>
public static class CampaignHost
{
    /// <summary>The usage text printed by <c>help</c> and after a usage error.</summary>
    public const string Usage = """
        usage: <host> <verb> [options]

        verbs:
          run       compute every missing result        --store DIR  --workers N  --json
                    (Ctrl-C or SIGTERM: the finished    --format parquet|hdf5 (a new store's format)
                    results are kept, exit 130/143)     --step-timeout T: a point whose step runs
                                                        longer fails as TIMEOUT (30s, 5m, 1:00:00)
                                                        --isolate: run each point that crashed the
                                                        process (CRASHED) alone, then the rest
                                                        --wait: wait for another writer of the store
                                                        progress on stderr: live lines on a terminal,
                                                        else a line every --progress-interval T
                                                        (default 30s); --quiet: none
          status    progress, failures by cause, and    --store DIR  --json
                    Slurm jobs queued or running        --watch (again every --interval S, default 10,
                                                        until no job is left)
          graph     the steps and products              --format text|mermaid
          results   print one product's current results <product>  --store DIR  --format csv|json
                                                        --with-points  --all-versions
          provenance  the code, inputs and runs behind  <product>  --point ID  --store DIR
                    a current result                    --format text|prov-json
          report    one HTML page of the store:         --store DIR  --out FILE (default DIR/report.html)
                    progress, failures, time and        --x P (point parameter of the result plots)
                    memory per step, Slurm submissions, --series P (a series per value of P)
                    plots of the results
                                                        --watch (again every --interval S, default 30,
                                                        while a run or submission writes the store)
                                                        --json
          compact   move what is no longer current to   --store DIR  --rows N (per file, default 1000000)
                    history/, merge small shards (of    --json
                    all writers) into files of N rows
          verify    read every shard whole (page        --store DIR  --json
                    checksums too); name the damaged
          prune     remove history: all of it, rows     --store DIR  --all | --before DATE | --keep K
                    made before DATE, or all but the    --dry-run  --json
                    newest K versions of each product
          submit --slurm  run the pending points as     --store DIR  --partition P  --account A  --time T
                    Slurm job arrays, then a finish     --mem M  --cpus-per-task N  --points-per-task N
                    job (global steps, compaction)      | --task-time T (default 30m)  --max-array N
                                                        --throttle K  --dry-run  --format parquet|hdf5
                                                        --step-timeout T (passed on to every task)
                                                        --wait (for a local run of the store to end)
                                                        --json (the plan and submission, one document)
          retry --slurm   resubmit only the failed      the options of submit, and --mem-factor F and
                    points: out-of-memory ones with     --time-factor F (default 2)
                    more memory, timed-out more time
          worker, finish  run by the batch scripts of a submission
          help      this text

        run, status, results, provenance, report, compact and prune take --skip-corrupt: an unreadable shard is
        reported and skipped (never deleted) instead of stopping the command; run first reads every
        shard whole, so that whatever a damaged one held is computed again.

        The store defaults to ./campaign. Exit codes: 0 done, 1 error, 2 usage, 3 some steps failed,
        4 the store holds another campaign or an unreadable file, 5 no such point or result yet,
        6 a system library is missing (HDF5 for --format hdf5), 7 Slurm refused the job (its message
        is shown), is not reachable, or an earlier submission still runs, 130/143/138 stopped by Ctrl-C,
        SIGTERM or SIGUSR1 (what was finished is kept), 8 the disk is full (what was committed is kept),
        9 another process is writing the store (--wait waits for it).
        """;

    /// <summary>Runs the CLI on the console.</summary>
    public static int Run<TPoint>(CampaignDefinition<TPoint> definition, string[] args)
    {
        using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        int code = Run(definition, args, stdout, Console.Error, Supervisor.Applies);
        stdout.Flush();
        return code;
    }

    /// <summary>Runs the CLI, writing to the given streams (for tests and embedding); <c>run</c> runs in this process.</summary>
    public static int Run<TPoint>(CampaignDefinition<TPoint> definition, string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(definition, args, stdout, stderr, supervise: false);

    private static int Run<TPoint>(CampaignDefinition<TPoint> definition, string[] args, TextWriter stdout, TextWriter stderr, bool supervise)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            if (args.Length == 0)
            {
                throw new UsageException("no verb given");
            }

            ReadOnlySpan<string> rest = args.AsSpan(1);
            switch (args[0])
            {
                case "run":
                    return RunCommand.Execute(definition, CommandLine.Parse("run", rest, 0, ["--store", "--workers", "--format", "--step-timeout", "--only", ProgressDisplays.IntervalOption], ["--json", "--skip-corrupt", "--isolate", "--wait", ProgressDisplays.QuietFlag], stderr), stdout, supervise ? args : null);
                case "status":
                    return StatusCommand.Execute(definition, CommandLine.Parse("status", rest, 0, ["--store", "--interval"], ["--json", "--skip-corrupt", "--watch"], stderr), stdout);
                case "graph":
                    return GraphCommand.Execute(definition.Graph, CommandLine.Parse("graph", rest, 0, ["--format"], []), stdout);
                case "results":
                    return ResultsCommand.Execute(definition, CommandLine.Parse("results", rest, 1, ["--store", "--format"], ["--with-points", "--all-versions", "--skip-corrupt"], stderr), stdout);
                case "provenance":
                    return ProvenanceCommand.Execute(definition, CommandLine.Parse("provenance", rest, 1, ["--store", "--format", "--point"], ["--skip-corrupt"], stderr), stdout);
                case "report":
                    return ReportCommand.Execute(definition, CommandLine.Parse("report", rest, 0, ["--store", "--out", "--x", "--series", "--interval"], ["--watch", "--json", "--skip-corrupt"], stderr), stdout);
                case "compact":
                    return CompactCommand.Execute(definition, CommandLine.Parse("compact", rest, 0, ["--store", "--rows"], ["--json", "--skip-corrupt"], stderr), stdout);
                case "verify":
                    return VerifyCommand.Execute(definition, CommandLine.Parse("verify", rest, 0, ["--store"], ["--json"], stderr), stdout);
                case "prune":
                    return PruneCommand.Execute(definition, CommandLine.Parse("prune", rest, 0, ["--store", "--before", "--keep"], ["--all", "--dry-run", "--json", "--skip-corrupt"], stderr), stdout);
                case "submit":
                    return SubmitCommand.Execute(definition, CommandLine.Parse("submit", rest, 0, SubmitCommand.Valued, SubmitCommand.Flags, stderr), stdout, retry: false);
                case "retry":
                    return SubmitCommand.Execute(definition, CommandLine.Parse("retry", rest, 0, SubmitCommand.Valued, SubmitCommand.Flags, stderr), stdout, retry: true);
                case "worker":
                    return WorkerCommand.Worker(definition, CommandLine.Parse("worker", rest, 0, ["--store", "--submission", "--array", "--task", "--workers", "--points-at-once", "--step-timeout", ProgressDisplays.IntervalOption, Supervisor.ChildEndedOption, Supervisor.JournalOption], [ProgressDisplays.QuietFlag], stderr), stdout, supervise ? args : null);
                case "finish":
                    return WorkerCommand.Finish(definition, CommandLine.Parse("finish", rest, 0, ["--store", "--submission", "--scheduler", "--jobs"], [], stderr), stdout);
                case "help" or "--help" or "-h":
                    stdout.WriteLine(Usage);
                    return ExitCodes.Success;
                default:
                    throw new UsageException($"unknown verb '{args[0]}'");
            }
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine(Usage);
            return e.ExitCode;
        }
        catch (CairnException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is not CairnException && Storage.DiskSpace.IsFull(e))
        {
            stderr.WriteLine($"error: {Storage.DiskSpace.Full("the store", e).Message}");
            return ExitCodes.DiskFull;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Error;
        }
    }
}
