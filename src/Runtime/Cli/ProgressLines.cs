using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Cairn.Execution;

namespace Cairn.Cli;

/// <summary>
/// The words of a progress display, shared by the terminal's live lines and the plain log lines:
/// per step done/total, the share, the rate over the last half minute, failures so far and the
/// time left at that rate. Fed every sample in order; it keeps the samples of the last
/// <see cref="Window"/> to measure the rate.
/// </summary>
internal sealed class ProgressLines
{
    /// <summary>The rate is measured over about this much of the recent past.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private readonly Queue<ProgressSample> _recent = new();

    /// <summary>Takes <paramref name="sample"/> as the latest; returns one text per step.</summary>
    public IReadOnlyList<string> Steps(ProgressSample sample)
    {
        ProgressSample? since = Remember(sample);
        int width = sample.Steps.Max(s => s.Step.Length);
        return sample.Steps.Select((step, i) => Describe(step, step.Step.PadRight(width), sample, since?.Steps[i].Handled ?? 0, since?.Elapsed ?? TimeSpan.Zero)).ToArray();
    }

    /// <summary>Takes <paramref name="sample"/> as the latest; returns one line for all steps, for a log.</summary>
    public string Plain(ProgressSample sample) =>
        $"progress after {Duration(sample.Elapsed)}: {string.Join("; ", Steps(sample))}";

    /// <summary>Adds the sample; returns the oldest one within the window before it (null for the first).</summary>
    private ProgressSample? Remember(ProgressSample sample)
    {
        while (_recent.Count > 1 && sample.Elapsed - _recent.Peek().Elapsed > Window)
        {
            _recent.Dequeue();
        }

        ProgressSample? oldest = _recent.Count > 0 ? _recent.Peek() : null;
        _recent.Enqueue(sample);
        return oldest;
    }

    private static string Describe(StepProgress step, string name, ProgressSample sample, long handledBefore, TimeSpan before)
    {
        double seconds = (sample.Elapsed - before).TotalSeconds;
        double rate = seconds > 0 ? (step.Handled - handledBefore) / seconds : 0;
        var text = new System.Text.StringBuilder(name).Append(' ').Append(TextTable.Number(step.Handled));
        if (sample.Points is long total && total > 0)
        {
            text.Append('/').Append(TextTable.Number(total)).Append(CultureInfo.InvariantCulture, $" ({Math.Min(100, 100.0 * step.Handled / total):F0}%)");
        }

        text.Append(CultureInfo.InvariantCulture, $", {rate:F0}/s");
        if (step.Failed + step.Skipped > 0)
        {
            text.Append(", ").Append(TextTable.Number(step.Failed)).Append(" failed");
            if (step.Skipped > 0)
            {
                text.Append(", ").Append(TextTable.Number(step.Skipped)).Append(" skipped");
            }
        }

        if (sample.Points is long points && step.Handled < points && rate > 0)
        {
            text.Append(", about ").Append(Duration(TimeSpan.FromSeconds((points - step.Handled) / rate))).Append(" left");
        }

        return text.ToString();
    }

    /// <summary>A span as a person reads it: 45s, 3m05s, 2h07m, 3d04h.</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays}d{span.Hours:00}h"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:00}s"
        : $"{(int)span.TotalSeconds}s";
}
