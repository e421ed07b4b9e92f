using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Invocation;
using System.IO;
using System.Linq;
using Cairn.Cli;

namespace Cairn.Hosting;

/// <summary>The CLI behind the generated <c>Campaign.Run(args)</c>.</summary>
public static class CampaignHost
{
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
        RootCommand root = Verbs.Root();
        Func<Func<CommandLine, int>, Func<ParseResult, int>> bind = verb => parsed => verb(new CommandLine(parsed, stderr));
        Bind(root, "run", bind(line => RunCommand.Execute(definition, line, stdout, supervise ? args : null)));
        Bind(root, "status", bind(line => StatusCommand.Execute(definition, line, stdout)));
        Bind(root, "graph", bind(line => GraphCommand.Execute(definition.Graph, line, stdout)));
        Bind(root, "results", bind(line => ResultsCommand.Execute(definition, line, stdout)));
        Bind(root, "provenance", bind(line => ProvenanceCommand.Execute(definition, line, stdout)));
        Bind(root, "report", bind(line => ReportCommand.Execute(definition, line, stdout)));
        Bind(root, "compact", bind(line => CompactCommand.Execute(definition, line, stdout)));
        Bind(root, "verify", bind(line => VerifyCommand.Execute(definition, line, stdout)));
        Bind(root, "prune", bind(line => PruneCommand.Execute(definition, line, stdout)));
        Bind(root, "submit", bind(line => SubmitCommand.Execute(definition, line, stdout, retry: false)));
        Bind(root, "retry", bind(line => SubmitCommand.Execute(definition, line, stdout, retry: true)));
        Bind(root, "worker", bind(line => WorkerCommand.Worker(definition, line, stdout, supervise ? args : null)));
        Bind(root, "finish", bind(line => WorkerCommand.Finish(definition, line, stdout)));
        Bind(root, "help", _ => root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr }));

        ParseResult parsed = root.Parse(args);
        string verb = parsed.CommandResult.Command == root ? "" : parsed.CommandResult.Command.Name + " ";
        try
        {
            // "results --help" shows the verb's help, though it names no product: help comes first.
            if (parsed.Errors.Count > 0 && parsed.Action != root.Options.OfType<System.CommandLine.Help.HelpOption>().Single().Action)
            {
                return UsageError(parsed, stderr, verb);
            }

            // Help and completions write to stdout; a verb's exceptions come out here, to the handlers
            // below; Ctrl-C and SIGTERM are the verbs' own to handle (run commits what it finished).
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine(SeeHelp(verb));
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

    private static void Bind(RootCommand root, string verb, Func<ParseResult, int> action) =>
        root.Subcommands.Single(c => c.Name == verb).SetAction(action);

    /// <summary>
    /// A command line the parser refused: each error on a line of its own (a misspelt word is
    /// reported once, not also as a missing verb), System.CommandLine's suggestion of the verb or option
    /// meant by a misspelt one, and where to find help; exit 2.
    /// </summary>
    private static int UsageError(ParseResult parsed, TextWriter stderr, string verb)
    {
        // The words the parser did not take; but after a misspelt verb, the verb alone ("stauts --json"),
        // and not the value after a misspelt option ("--wokers 2"): their errors say enough.
        IReadOnlyList<string> all = parsed.UnmatchedTokens;
        string[] unmatched = verb.Length == 0 ? [.. all.Take(1)]
            : [.. all.Where((t, i) => i == 0 || t.StartsWith('-') || !all[i - 1].StartsWith('-'))];
        foreach (string message in parsed.Errors.Select(e => e.Message).Distinct()
            .Where(m => all.Count == 0 || unmatched.Any(t => m.Contains($"'{t}'", StringComparison.Ordinal))))
        {
            stderr.WriteLine($"error: {message}");
        }

        if (parsed.Action is ParseErrorAction action)
        {
            action.ShowHelp = false;
            action.ShowTypoCorrections = true;
            var corrections = new StringWriter();
            parsed.Invoke(new InvocationConfiguration { Output = corrections, Error = TextWriter.Null });
            foreach (string line in Suggestions(corrections.ToString(), misspelt: t => verb.Length == 0 || t.StartsWith('-')))
            {
                stderr.WriteLine(line);
            }
        }

        stderr.WriteLine(SeeHelp(verb));
        return ExitCodes.Usage;
    }

    /// <summary>
    /// The typo corrections System.CommandLine wrote ("'rnu' was not matched. Did you mean one of the
    /// following?", then a name a line) as one line each, "did you mean run?", for the words
    /// <paramref name="misspelt"/> takes for a verb or option; the help option alone is no suggestion.
    /// </summary>
    private static IEnumerable<string> Suggestions(string corrections, Func<string, bool> misspelt)
    {
        string? word = null;
        var names = new List<string>();
        foreach (string line in corrections.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Append("'"))
        {
            if (line.StartsWith('\''))
            {
                if (word is not null && misspelt(word) && names.Count > 0)
                {
                    yield return $"'{word}': did you mean {string.Join(" or ", names)}?";
                }

                word = line.Length > 1 ? line[1..line.IndexOf('\'', 1)] : null;
                names.Clear();
            }
            else if (line is not ("-h" or "-?" or "/h" or "/?"))
            {
                names.Add(line);
            }
        }
    }

    /// <summary>Where to read what a verb (or, for none, the host) takes.</summary>
    private static string SeeHelp(string verb) => $"('{RootCommand.ExecutableName} {verb}--help' lists what it takes)";
}
