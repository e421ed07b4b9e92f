namespace Cairn.Scheduling;

/// <summary>
/// A task still queued or running, as the scheduler tells it: its id ("123_4"), its state
/// (PENDING, RUNNING, ...) and why it waits ("Resources", "Dependency"); null when nothing holds it.
/// </summary>
internal sealed record QueuedTask(string Task, string State, string? Reason);
