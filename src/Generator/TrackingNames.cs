namespace Cairn.Generator;

/// <summary>Names of the pipeline's steps, for incrementality tests.</summary>
internal static class TrackingNames
{
    public const string Steps = nameof(Steps);
    public const string Points = nameof(Points);
    public const string CampaignName = nameof(CampaignName);
    public const string Model = nameof(Model);
    public const string StepCode = nameof(StepCode);
    public const string GraphSteps = nameof(GraphSteps);
}
