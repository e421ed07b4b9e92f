namespace Cairn.Scheduling;

/// <summary>How an array task ended, as the scheduler tells it: its state (in <c>sacct</c>'s words) and exit code.</summary>
internal sealed record TaskEnd(int Task, string State, string ExitCode);
