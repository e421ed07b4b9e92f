using System;
using System.Collections.Generic;
using Cairn.Execution;
using Cairn.Hosting;
using Cairn.Scheduling;
using Cairn.Storage;

namespace Cairn.Reporting;

/// <summary>
/// What <c>report</c> shows of a store, gathered in one pass: its progress and open failures
/// (<see cref="StoreProgress"/>, as <c>status</c> has them), what provenance measured of each step,
/// the Slurm submissions and their tasks, the plots of the per-point results, the current
/// results of each global step and the curves they hold.
/// </summary>
internal sealed record CampaignReport(
    CampaignGraph Graph,
    string Store,
    string Format,
    DateTime Made,
    StoreProgress Progress,
    ProvenanceSummary Timings,
    IReadOnlyList<SubmissionTasks> Submissions,
    IReadOnlyList<ResultPlot> Plots,
    IReadOnlyList<GlobalResult> GlobalResults,
    IReadOnlyList<ResultPlot> Curves)
{
    /// <summary>Reads what the report shows from <paramref name="store"/>; <paramref name="x"/> and <paramref name="series"/> choose the point parameters of the result plots (see <see cref="ResultPlots.Gather"/>).</summary>
    public static CampaignReport Gather<TPoint>(CampaignDefinition<TPoint> definition, CampaignStore store, string? x, string? series)
    {
        CampaignGraph graph = definition.Graph;
        // [Points] is enumerated once, for all the parts.
        using CurrentPoints points = CurrentPoints.Enumerate(definition);
        List<CurrentGlobal> globals = CurrentGlobal.Read(definition, store, points);
        return new CampaignReport(
            graph,
            store.Root,
            CampaignStore.NameOf(store.Container),
            DateTime.UtcNow,
            StoreProgress.Read(definition, store, points),
            ProvenanceSummary.Read(store, graph),
            SubmissionTasks.Of(Submission.All(store)),
            ResultPlots.Gather(definition, store, points, x, series),
            GlobalResult.Of(globals),
            CurvePlots.Of(globals));
    }
}
