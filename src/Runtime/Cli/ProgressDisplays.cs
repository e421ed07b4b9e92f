using System;
using Cairn.Execution;

namespace Cairn.Cli;

/// <summary>
/// The progress display of <c>run</c> and <c>worker</c>: live lines on a terminal, a plain line every
/// <c>--progress-interval</c> (30 s unless told) anywhere else, none with <c>--quiet</c>.
/// </summary>
internal static class ProgressDisplays
{
    public const string QuietFlag = "--quiet";

    public const string IntervalOption = "--progress-interval";

    /// <summary>How often a plain display writes a line unless told.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);

    /// <summary>The display for <paramref name="line"/>'s command; its warnings go above live lines from now on.</summary>
    public static IProgressDisplay? For(CommandLine line)
    {
        // A duration is checked even with --quiet: 30s, 5m (see TaskResources.ParseTime).
        TimeSpan interval = line.Duration(IntervalOption) ?? DefaultInterval;
        if (line.Has(QuietFlag))
        {
            return null;
        }

        if (OnTerminal(line.Errors))
        {
            var terminal = new TerminalProgress(line.Errors, Width);
            line.RouteWarnings(terminal.Warn);
            return terminal;
        }

        return new PlainProgress(line.Errors, interval);
    }

    /// <summary>Whether <paramref name="errors"/> is this process's stderr and that is a terminal that understands cursor movement.</summary>
    private static bool OnTerminal(System.IO.TextWriter errors) =>
        ReferenceEquals(errors, Console.Error) && !Console.IsErrorRedirected
        && Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term && term != "dumb";

    private static int Width()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (System.IO.IOException)
        {
            return 80;
        }
    }
}
