using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Cairn.Cli;

/// <summary>
/// A parsed command line: <c>verb [positional...] [--option value | --flag]...</c>. Options are
/// checked against the verb's list, so a typo is a usage error rather than silently ignored.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options;

    private CommandLine(string verb, IReadOnlyList<string> positionals, Dictionary<string, string?> options)
    {
        Verb = verb;
        Positionals = positionals;
        _options = options;
    }

    public string Verb { get; }

    /// <summary>Where warnings go (the CLI's stderr); one line each, written under a lock.</summary>
    public System.IO.TextWriter Errors { get; init; } = System.IO.TextWriter.Null;

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

    public IReadOnlyList<string> Positionals { get; }

    /// <summary>Parses <paramref name="args"/> for a verb whose options are <paramref name="valued"/> (take a value) and <paramref name="flags"/>.</summary>
    public static CommandLine Parse(string verb, ReadOnlySpan<string> args, int positionals, string[] valued, string[] flags, System.IO.TextWriter? errors = null)
    {
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                rest.Add(arg);
                continue;
            }

            string name = arg;
            string? value = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }

            if (flags.Contains(name))
            {
                if (value is not null)
                {
                    throw new UsageException($"option '{name}' of '{verb}' takes no value");
                }
            }
            else if (valued.Contains(name))
            {
                if (value is null)
                {
                    if (i + 1 >= args.Length)
                    {
                        throw new UsageException($"option '{name}' of '{verb}' needs a value");
                    }

                    value = args[++i];
                }
            }
            else
            {
                throw new UsageException($"unknown option '{name}' for '{verb}'");
            }

            if (!options.TryAdd(name, value))
            {
                throw new UsageException($"option '{name}' is given twice");
            }
        }

        if (rest.Count != positionals)
        {
            throw new UsageException(positionals == 0
                ? $"'{verb}' takes no argument, but got '{rest[0]}'"
                : $"'{verb}' takes {positionals} argument(s), but got {rest.Count}");
        }

        return new CommandLine(verb, rest, options) { Errors = errors ?? System.IO.TextWriter.Null };
    }

    public bool Has(string flag) => _options.ContainsKey(flag);

    public string Get(string option, string fallback) => _options.TryGetValue(option, out string? value) ? value ?? fallback : fallback;

    /// <summary>The duration given to <paramref name="option"/> (30m, 2h, 90s, 45 for minutes, 1:30:00, 1-12:00:00); null when not given.</summary>
    public TimeSpan? Duration(string option) => Has(option) ? Scheduling.TaskResources.ParseTime(option, Get(option, "")) : null;

    /// <summary>A value that must be one of <paramref name="choices"/>; the first is the default.</summary>
    public string Choice(string option, params string[] choices)
    {
        string value = Get(option, choices[0]);
        return choices.Contains(value)
            ? value
            : throw new UsageException($"option '{option}' must be one of {string.Join(", ", choices)}, not '{value}'");
    }

    public long PositiveLong(string option, long fallback)
    {
        if (!_options.TryGetValue(option, out string? text))
        {
            return fallback;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0
            ? value
            : throw new UsageException($"option '{option}' takes a whole number above 0, not '{text}'");
    }

    /// <summary>A whole number from 0 (an array or task index); 0 when the option is not given.</summary>
    public int Index(string option)
    {
        string text = Get(option, "0");
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new UsageException($"option '{option}' takes a whole number from 0, not '{text}'");
    }

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
