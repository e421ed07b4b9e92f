using Microsoft.CodeAnalysis;

namespace Cairn.Analyzers;

/// <summary>
/// The catalogue of Cairn's diagnostics. IDs are a public contract: never reuse or renumber one.
/// Each has a section in docs/diagnostics.md, which its help link points to.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string StepsCategory = "Cairn.Steps";

    public const string StepMethodShapeId = "CAIRN005";

    // Relative to the repository root until the project has a public address.
    private const string HelpBase = "docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor StepMethodShape = new(
        StepMethodShapeId,
        title: "A step must be a static, non-generic, accessible method",
        messageFormat: "Step '{0}' {1}; make it a non-generic static method that is public or internal, in a public or internal type",
        category: StepsCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpBase + "cairn005");
}
