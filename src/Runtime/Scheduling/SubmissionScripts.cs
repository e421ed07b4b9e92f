namespace Cairn.Scheduling;

/// <summary>What every script of a submission names: the campaign, the store, the submission and its directory, the host, the throttle and the step time limit.</summary>
internal sealed record SubmissionScripts(string Campaign, string Store, int Submission, string Directory, HostImage Host, int? Throttle, System.TimeSpan? StepTimeout);
