using Cairn.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Cairn.Generator;

/// <summary>
/// Turns the <c>[Step]</c> and <c>[Points]</c> methods of a project into a campaign: the static graph,
/// columnar serializers for every stored type, and the <c>Campaign</c> host.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class CampaignGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<StepModel> steps = context.SyntaxProvider
            .ForAttributeWithMetadataName(MethodParser.StepAttribute, IsMethod, ParseStep)
            .WithTrackingName(TrackingNames.Steps);

        IncrementalValuesProvider<PointsModel> points = context.SyntaxProvider
            .ForAttributeWithMetadataName(MethodParser.PointsAttribute, IsMethod, ParsePoints)
            .WithTrackingName(TrackingNames.Points);

        IncrementalValueProvider<string> name = context.CompilationProvider
            .Select(static (compilation, _) => compilation.AssemblyName ?? "Campaign")
            .WithTrackingName(TrackingNames.CampaignName);

        // Each step's hash and source go to a file of their own; the graph and the host see the
        // steps without them, so an edit inside one step's body re-emits that step's file only.
        IncrementalValuesProvider<StepModel> graphSteps = steps
            .Select(static (step, _) => step.WithoutCode())
            .WithTrackingName(TrackingNames.GraphSteps);

        IncrementalValueProvider<CampaignModel?> model = graphSteps.Collect()
            .Combine(points.Collect())
            .Combine(name)
            .Select(static (input, _) => GraphBuilder.Build(input.Right, input.Left.Right, input.Left.Left))
            .WithTrackingName(TrackingNames.Model);

        context.RegisterSourceOutput(model, Emit);

        // A broken campaign gets no step files: its build fails on the reason alone.
        IncrementalValuesProvider<StepModel> code = steps
            .Combine(model.Select(static (campaign, _) => campaign is { IsBroken: false }))
            .Where(static pair => pair.Right)
            .Select(static (pair, _) => pair.Left)
            .WithTrackingName(TrackingNames.StepCode);
        context.RegisterSourceOutput(code, EmitStepCode);
    }
}
