namespace Cairn.Scheduling;

/// <summary>The scheduler refused or cannot be reached; exit code <see cref="ExitCodes.Scheduler"/>.</summary>
internal sealed class SchedulerException(string message) : CairnException(message, ExitCodes.Scheduler);
