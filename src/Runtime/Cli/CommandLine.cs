using System;
using System.Collections.Generic;
using System.Linq;
using System.CommandLine;

namespace Cairn.Cli;

/// <summary>
/// A verb's command line as System.CommandLine parsed and checked it against <see cref="Verbs"/>:
/// its options by name, their values already parsed by the rule of their kind (<see cref="OptionKinds"/>).
/// </summary>
internal sealed class CommandLine
{
    private readonly ParseResult _parsed;
    private readonly Command _command;

    public CommandLine(ParseResult parsed, System.IO.TextWriter errors)
    {
        _parsed = parsed;
        _command = parsed.CommandResult.Command;
        Errors = errors;
        Positionals = [.. _command.Arguments.Select(a => parsed.GetResult(a)?.Tokens.FirstOrDefault()?.Value ?? "")];
    }

    /// <summary>The verb.</summary>
    public string Verb => _command.Name;

    /// <summary>Where warnings go (the CLI's stderr); one line each, written under a lock.</summary>
    public System.IO.TextWriter Errors { get; }

    private Action<string>? _warnings;

    /// <summary>Writes one warning line to <see cref="Errors"/>, or where <see cref="RouteWarnings"/> said; safe from several threads.</summary>
    public void Warn(string line)
    {
        if (_warnings is { } route)
        {
            route(line);
            return;
        }

        lock (Errors)
        {
            Errors.WriteLine(line);
        }
    }

    /// <summary>Sends warnings to <paramref name="warn"/> from now on: a live display writes them above its lines.</summary>
    public void RouteWarnings(Action<string> warn) => _warnings = warn;

    /// <summary>The values of the verb's arguments (a product's name), in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>The verb's option of this name.</summary>
    private Option Declared(string name) =>
        _command.Options.FirstOrDefault(o => o.Name == name)
        ?? throw new InvalidOperationException($"'{Verb}' declares no option '{name}' (see Verbs)");

    /// <summary>
    /// Whether the option was given (for a flag: set); false for an option the verb does not take, so
    /// that code shared by verbs (opening a store, for one) may ask of an option only some take.
    /// </summary>
    public bool Has(string name) => _command.Options.FirstOrDefault(o => o.Name == name) switch
    {
        null => false,
        Option<bool> flag => _parsed.GetValue(flag),
        Option option => _parsed.GetResult(option) is { Implicit: false },
    };

    /// <summary>The text given to an option, else <paramref name="fallback"/>.</summary>
    public string Get(string option, string fallback) =>
        Has(option) && _parsed.GetResult(Declared(option))!.Tokens.FirstOrDefault() is { } token ? token.Value : fallback;

    /// <summary>The text given to an option; null when it was not given.</summary>
    public string? Text(string option) => Has(option) ? Get(option, "") : null;

    /// <summary>The value given to <paramref name="option"/>, as its kind parsed it (<see cref="OptionKinds"/>); null when not given.</summary>
    public T? Value<T>(string option)
        where T : struct => Has(option) ? _parsed.GetValue((Option<T>)Declared(option)) : null;

    /// <summary>The duration given to <paramref name="option"/>; null when not given.</summary>
    public TimeSpan? Duration(string option) => Value<TimeSpan>(option);

    /// <summary>The value of a choice among those its declaration lists; the first when not given.</summary>
    public string Choice(string option) => _parsed.GetValue((Option<string>)Declared(option))!;

    /// <summary>The whole number above 0 given to <paramref name="option"/>, else <paramref name="fallback"/>.</summary>
    public long PositiveLong(string option, long fallback) => Value<long>(option) ?? fallback;

    /// <summary>A whole number from 0 (an array or task index); 0 when the option is not given.</summary>
    public int Index(string option) => Value<int>(option) ?? 0;

    /// <summary>The store directory, <c>--store</c> (default <c>./campaign</c>); an empty one is a usage error.</summary>
    public string Store()
    {
        string store = Get("--store", "campaign");
        if (string.IsNullOrWhiteSpace(store))
        {
            throw new UsageException($"option '--store' takes a directory, not '{store}'; leave it out for ./campaign");
        }

        // The deepest file a store holds lies this far below its root: history/results/<product>/ and a shard's name.
        const int Depth = 300;
        string full = System.IO.Path.GetFullPath(store);
        if (System.Text.Encoding.UTF8.GetByteCount(full) > MaxPath - Depth)
        {
            throw new UsageException($"the store path is {System.Text.Encoding.UTF8.GetByteCount(full)} bytes long, and the files inside it would pass the system's limit of {MaxPath}; give --store a path of at most {MaxPath - Depth} bytes");
        }

        if (full.Split('/').FirstOrDefault(part => System.Text.Encoding.UTF8.GetByteCount(part) > MaxName) is { } part)
        {
            throw new UsageException($"a directory name of the store path is {System.Text.Encoding.UTF8.GetByteCount(part)} bytes long, more than the system's limit of {MaxName}; give --store a path of shorter names");
        }

        return store;
    }

    /// <summary>Linux's limits on a path (PATH_MAX) and on one name in it (NAME_MAX), in bytes.</summary>
    private const int MaxPath = 4096;

    private const int MaxName = 255;

    /// <summary>
    /// The worker threads, <c>--workers</c>: from 1 to 64 per core of this machine. A worker is a
    /// thread; more than the cores only helps steps that wait, and tens of thousands would exhaust
    /// the machine before the first point ran.
    /// </summary>
    public int Workers(int fallback)
    {
        int workers = PositiveInt("--workers", fallback);
        int most = 64 * Environment.ProcessorCount;
        return workers <= most
            ? workers
            : throw new UsageException($"option '--workers' takes at most {most} on this machine ({Environment.ProcessorCount} cores), not '{workers}'; a worker is a thread, and more than the cores only helps steps that wait");
    }

    public int PositiveInt(string option, int fallback)
    {
        long value = PositiveLong(option, fallback);
        return value <= int.MaxValue ? (int)value : throw new UsageException($"option '{option}' takes a whole number up to {int.MaxValue}, not '{value}'");
    }
}
