using System;
using System.Collections.Generic;
using System.IO;
using Cairn.Execution;

namespace Cairn.Cli;

/// <summary>
/// Progress on a terminal: a line per per-point step, drawn again a few times a second in place
/// (ANSI cursor movement), then a line for each phase after them (a global step, the compaction),
/// all taken away at the end, before the run's summary. A warning meanwhile
/// goes above the lines (<see cref="Warn"/>), so that the next drawing does not overwrite it.
/// </summary>
internal sealed class TerminalProgress(TextWriter errors, Func<int> width) : IProgressDisplay
{
    private readonly ProgressLines _lines = new();
    private IReadOnlyList<string> _shown = [];

    public TimeSpan Interval => TimeSpan.FromMilliseconds(250);

    public void Show(ProgressSample sample)
    {
        IReadOnlyList<string> lines = _lines.Steps(sample);
        lock (errors)
        {
            Erase();
            Draw(lines);
        }
    }

    public void Phase(string what)
    {
        lock (errors)
        {
            Erase();
            Draw([what]);
        }
    }

    /// <summary>Writes <paramref name="line"/> above the progress lines.</summary>
    public void Warn(string line)
    {
        lock (errors)
        {
            IReadOnlyList<string> shown = _shown;
            Erase();
            errors.WriteLine(line);
            Draw(shown);
        }
    }

    public void End()
    {
        lock (errors)
        {
            Erase();
            _shown = [];
        }
    }

    private void Draw(IReadOnlyList<string> lines)
    {
        // A line longer than the terminal would wrap, and the next drawing would go up too few lines.
        int columns = Math.Max(20, width() - 1);
        foreach (string line in lines)
        {
            errors.Write(line.Length > columns ? line[..columns] : line);
            errors.Write('\n');
        }

        errors.Flush();
        _shown = lines;
    }

    /// <summary>Moves up over the lines drawn last and clears from there down.</summary>
    private void Erase()
    {
        if (_shown.Count > 0)
        {
            errors.Write($"\u001b[{_shown.Count}F\u001b[J");
        }
    }
}
