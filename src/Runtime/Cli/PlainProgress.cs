using System;
using System.IO;
using Cairn.Execution;

namespace Cairn.Cli;

/// <summary>
/// Progress as one plain line every interval (<c>--progress-interval</c>), for a log, a pipe or a
/// Slurm task's output: no control characters, nothing taken back.
/// </summary>
internal sealed class PlainProgress(TextWriter errors, TimeSpan interval) : IProgressDisplay
{
    private readonly ProgressLines _lines = new();

    public TimeSpan Interval => interval;

    public void Show(ProgressSample sample)
    {
        string line = _lines.Plain(sample);
        lock (errors)
        {
            errors.WriteLine(line);
            errors.Flush();
        }
    }

    public void Phase(string what)
    {
    }

    public void End()
    {
    }
}
