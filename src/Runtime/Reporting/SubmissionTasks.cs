using System.Collections.Generic;
using System.Linq;
using Cairn.Scheduling;

namespace Cairn.Reporting;

/// <summary>
/// A recorded submission with, for each of its arrays, how many tasks are in each state as its
/// scheduler tells it (<c>sacct</c> for Slurm); <see cref="Unreachable"/> says why there are no
/// states (the store was copied off the cluster, or the scheduler does not answer).
/// </summary>
internal sealed record SubmissionTasks(Submission Submission, IReadOnlyList<IReadOnlyDictionary<string, int>> States, string? Unreachable)
{
    /// <summary>Asks the scheduler of each of the store's submissions how their tasks stand.</summary>
    public static List<SubmissionTasks> Of(IEnumerable<Submission> submissions) => [.. submissions.Select(Ask)];

    private static SubmissionTasks Ask(Submission submission)
    {
        try
        {
            IBatchScheduler scheduler = BatchSchedulers.Of(submission);
            var states = submission.Arrays
                .Select(array => (IReadOnlyDictionary<string, int>)(array.Job is null ? new Dictionary<string, int>()
                    : scheduler.Ends(array.Job).GroupBy(t => t.State).ToDictionary(g => g.Key, g => g.Count())))
                .ToList();
            return new SubmissionTasks(submission, states, null);
        }
        catch (System.Exception e) when (e is SchedulerException or Storage.StoreException)
        {
            return new SubmissionTasks(submission, [], e.Message);
        }
    }
}
