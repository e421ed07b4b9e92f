using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Linq;

namespace Cairn.Cli;

/// <summary>
/// The kinds of option the verbs take, each with its one parsing rule: the parser checks a value as
/// it reads the command line, and a bad one is a usage error (exit 2) in the words of that rule,
/// before the verb runs.
/// </summary>
internal static class OptionKinds
{
    /// <summary>An option without a value.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>An option whose value is text (a path, a name), checked where it is used.</summary>
    public static Option<string> Text(string name, string value, string description) => new(name) { Description = description, HelpName = value };

    /// <summary>A whole number above 0.</summary>
    public static Option<long> Count(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result => Parse(result, text =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0
                ? value
                : throw new UsageException($"option '{name}' takes a whole number above 0, not '{text}'")),
    };

    /// <summary>A whole number from 0 (an array or task index).</summary>
    public static Option<int> Index(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "I",
        CustomParser = result => Parse(result, text =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
                ? value
                : throw new UsageException($"option '{name}' takes a whole number from 0, not '{text}'")),
    };

    /// <summary>A duration: 30m, 2h, 90s, 45 (minutes), 1:30:00, 1-12:00:00 (Slurm's forms).</summary>
    public static Option<TimeSpan> Duration(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "T",
        CustomParser = result => Parse(result, text => Scheduling.TaskResources.ParseTime(name, text)),
    };

    /// <summary>A memory size as Slurm takes it (4000, 500M, 4G; MiB without a unit), read as MiB.</summary>
    public static Option<long> Memory(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "M",
        CustomParser = result => Parse(result, text => Scheduling.TaskResources.ParseMemory(text, name)),
    };

    /// <summary>A factor from 1 to 100 (1.5, 2).</summary>
    public static Option<double> Factor(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "F",
        CustomParser = result => Parse(result, text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double factor) && factor >= 1 && factor <= 100
                ? factor
                : throw new UsageException($"option '{name}' takes a factor from 1 to 100, such as 1.5 or 2, not '{text}'")),
    };

    /// <summary>A date or time, UTC (2026-11-30, 2026-11-30T12:00).</summary>
    public static Option<DateTime> Date(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "DATE",
        CustomParser = result => Parse(result, text =>
            DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime time)
                ? time
                : throw new UsageException($"option '{name}' takes a date or time (UTC), e.g. 2026-11-30 or 2026-11-30T12:00, not '{text}'")),
    };

    /// <summary>A name Slurm takes (a partition, an account): letters, digits, '_', '-', '.', ',' and '+'.</summary>
    public static Option<string> SlurmName(string name, string value, string description) => new(name)
    {
        Description = description,
        HelpName = value,
        CustomParser = result => Parse(result, text =>
            System.Text.RegularExpressions.Regex.IsMatch(text, "^[A-Za-z0-9_.,+-]+$")
                ? text
                : throw new UsageException($"option '{name}' takes a Slurm name (letters, digits, '_', '-', '.'), not '{text}'")),
    };

    /// <summary>One of <paramref name="choices"/>; the first is the default. The shell completes them.</summary>
    public static Option<string> Choice(string name, string description, params string[] choices)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', choices),
            DefaultValueFactory = _ => choices[0],
            CustomParser = result => Parse(result, text => choices.Contains(text)
                ? text
                : throw new UsageException($"option '{name}' must be one of {string.Join(", ", choices)}, not '{text}'"), choices[0]),
        };
        option.CompletionSources.Add(choices);
        return option;
    }

    /// <summary>Runs a parsing rule on the option's one token; a rule that throws a <see cref="UsageException"/> makes a parse error of its message.</summary>
    private static T Parse<T>(ArgumentResult result, Func<string, T> rule, T absent = default!)
    {
        if (result.Tokens.Count == 0)
        {
            return absent;
        }

        try
        {
            return rule(result.Tokens[0].Value);
        }
        catch (UsageException e)
        {
            result.AddError(e.Message);
            return default!;
        }
    }
}
