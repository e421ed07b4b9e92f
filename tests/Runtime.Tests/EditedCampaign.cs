using System;
using System.Collections.Generic;
using System.Linq;
using Cairn.Columns;
using Cairn.Hosting;

namespace Cairn.Runtime.Tests;

/// <summary>
/// The generated campaign with its steps edited as a rebuild would change them (another code hash,
/// another <c>Partial</c>), run through the real host.
/// </summary>
internal sealed class EditedCampaign(CampaignDefinition<TestPoint> inner, Func<StepInfo, StepInfo> edit) : CampaignDefinition<TestPoint>
{
    /// <summary>The campaign after an edit to the body of step <paramref name="step"/>.</summary>
    public static EditedCampaign WithNewCode(string step, char hash = 'e') =>
        new(Campaign.Definition, s => s.Name == step ? s with { CodeHash = new string(hash, 32) } : s);

    public override CampaignGraph Graph { get; } = new(inner.Graph.Name, inner.Graph.PointType, inner.Graph.Steps.Select(edit).ToArray());

    public override IEnumerable<TestPoint> Points() => inner.Points();

    public override void WriteCanonical(TestPoint point, CanonicalWriter writer) => inner.WriteCanonical(point, writer);

    public override RecordColumns<TestPoint> CreatePointColumns() => inner.CreatePointColumns();

    public override RecordColumns CreateColumns(int index) => inner.CreateColumns(index);

    public override void RunPoint(TestPoint point, PointRun run) => inner.RunPoint(point, run);

    public override void RunGlobal(int index, GlobalRun run) => inner.RunGlobal(index, run);

    public override StepGrouping<TestPoint>? Grouping(int step) => inner.Grouping(step);
}
