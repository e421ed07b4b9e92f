using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Cairn.Generator;
using Microsoft.CodeAnalysis;

namespace Cairn.Analyzers;

/// <summary>
/// The catalogue of Cairn's diagnostics. IDs are a public contract: never reuse or renumber one.
/// Each has a section in docs/diagnostics.md, which its help link points to, and a line in
/// AnalyzerReleases.Unshipped.md (moved to Shipped.md when a release ships).
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string StepsCategory = "Cairn.Steps";
    public const string GraphCategory = "Cairn.Graph";
    public const string ReproducibilityCategory = "Cairn.Reproducibility";

    // Relative to the repository root, for builds from its sources; a project that references the
    // package gets links to the catalogue the package ships (HelpLinks).
    private const string HelpBase = "docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor UnknownProduct = Error(
        DiagnosticIds.UnknownProduct, GraphCategory, end: true,
        "An input names a product that no step outputs",
        "Step '{0}' reads product '{1}', which no step outputs; {2}");

    public static readonly DiagnosticDescriptor DuplicateProduct = Error(
        DiagnosticIds.DuplicateProduct, GraphCategory, end: true,
        "Two steps output the same product",
        "Steps '{0}' and '{1}' both output product '{2}'; give one of them another name with [Output(\"...\")]");

    public static readonly DiagnosticDescriptor InputTypeMismatch = Error(
        DiagnosticIds.InputTypeMismatch, GraphCategory, end: true,
        "An input's type does not match the product's type",
        "Parameter '{0}' of step '{1}' has type '{2}', but product '{3}' is {4}; declare the parameter as '{5}'");

    public static readonly DiagnosticDescriptor Cycle = Error(
        DiagnosticIds.Cycle, GraphCategory, end: true,
        "The steps form a cycle",
        "The steps form a cycle: {0}; a step cannot read, directly or through other steps, its own product");

    public static readonly DiagnosticDescriptor StepMethodShape = Error(
        DiagnosticIds.StepMethodShape, StepsCategory, end: false,
        "A step must be a static, non-generic, accessible method",
        "Step '{0}' {1}; make it a non-generic static method that is public or internal, in a public or internal type");

    public static readonly DiagnosticDescriptor UnboundParameter = Error(
        DiagnosticIds.UnboundParameter, GraphCategory, end: true,
        "A step parameter is neither the point nor an [Input]",
        "Parameter '{0}' of step '{1}' is neither the point type '{2}' nor marked [Input]; {3}");

    public static readonly DiagnosticDescriptor Unstorable = Error(
        DiagnosticIds.Unstorable, StepsCategory, end: false,
        "A point or output type cannot be stored",
        "The {0} type cannot be stored: {1}");

    public static readonly DiagnosticDescriptor NoOutput = Error(
        DiagnosticIds.NoOutput, StepsCategory, end: false,
        "A step has no output",
        "Step '{0}' returns {1}, so it has no product; return the value the step computes (a record, for several values)");

    public static readonly DiagnosticDescriptor ParameterModifier = Error(
        DiagnosticIds.ParameterModifier, StepsCategory, end: false,
        "A step parameter is ref, out, in or params",
        "Parameter '{0}' of step '{1}' is {2}; a step takes its inputs by value and returns its product (a record, for several values)");

    public static readonly DiagnosticDescriptor PointsMethod = Error(
        DiagnosticIds.PointsMethod, GraphCategory, end: true,
        "A campaign needs exactly one well-formed [Points] method",
        "{0}; a campaign needs exactly one [Points] method: static, parameterless, non-generic, public or internal, returning IEnumerable<TPoint>");

    public static readonly DiagnosticDescriptor NonDeterministic = Warning(
        DiagnosticIds.NonDeterministic, ReproducibilityCategory,
        "A step uses a non-deterministic API",
        "Step '{0}'{1} uses {2}, which differs from run to run, so its result cannot be reproduced from its code and point; {3}");

    public static readonly DiagnosticDescriptor StaticWrite = Warning(
        DiagnosticIds.StaticWrite, ReproducibilityCategory,
        "A step writes static state",
        "Step '{0}'{1} writes static {2} '{3}', so its result can depend on which points ran before it in the same process; keep the state local to the call, or return it");

    public static readonly DiagnosticDescriptor DuplicateStepName = Error(
        DiagnosticIds.DuplicateStepName, GraphCategory, end: true,
        "Two steps have the same name",
        "Steps '{0}' and '{1}' are both named '{2}'; give one of them another [Step(Name = \"...\")]");

    public static readonly DiagnosticDescriptor UnconsumedProduct = Warning(
        DiagnosticIds.UnconsumedProduct, GraphCategory,
        "A product is never read",
        "Product '{0}' of step '{1}' is never read by another step (it is still stored); read it in a step, or mark the step [Step(Final = true)] if it is a result of the campaign");

    public static readonly DiagnosticDescriptor InputShape = Error(
        DiagnosticIds.InputShape, GraphCategory, end: true,
        "A step's inputs make it neither per-point nor once-run",
        "Step '{0}' {1}; a step runs per point (it takes the point and per-point products) or once (it takes lists of per-point products and once-computed products)");

    public static readonly DiagnosticDescriptor TooManySteps = Error(
        DiagnosticIds.TooManySteps, GraphCategory, end: true,
        "Too many per-point steps",
        "The campaign has {0} per-point steps, but at most {1} are supported; merge some of them");

    public static readonly DiagnosticDescriptor NoSteps = Error(
        DiagnosticIds.NoSteps, GraphCategory, end: true,
        "A campaign has a [Points] method but no step",
        "The campaign has a [Points] method '{0}' but no [Step] method; mark the static methods that compute results [Step]");

    public static readonly DiagnosticDescriptor BadName = Error(
        DiagnosticIds.BadName, StepsCategory, end: false,
        "A step or product name cannot name a directory of the store",
        "The {0} name '{1}' {2}; use letters, digits, '_', '-' and '.' (not first), at most 100 characters");

    public static readonly DiagnosticDescriptor GroupByProperty = Error(
        DiagnosticIds.GroupByProperty, GraphCategory, end: true,
        "A grouped step groups by a property the point type does not have",
        "Step '{0}' groups by '{1}', which the point type '{2}' does not have; {3}");

    public static readonly DiagnosticDescriptor GroupKeyType = Error(
        DiagnosticIds.GroupKeyType, GraphCategory, end: true,
        "A grouped step groups by a property that cannot be a group key",
        "Step '{0}' groups by '{1}' of type '{2}', which cannot be a group key; group by properties that are numbers, bool, string, DateTime or enums");

    public static readonly DiagnosticDescriptor GroupedShape = Error(
        DiagnosticIds.GroupedShape, GraphCategory, end: true,
        "A grouped step is not a reduction over lists of per-point products",
        "Step '{0}' {1}");

    public static readonly DiagnosticDescriptor GroupColumnClash = Error(
        DiagnosticIds.GroupColumnClash, GraphCategory, end: true,
        "A grouped step's output has a property named like a property it groups by",
        "Step '{0}' groups by '{1}', and its output type '{2}' has a property of that name too; rename the output's property (the group's value is stored beside the output, in column '{1}')");

    public static readonly DiagnosticDescriptor ProgramOrResources = Error(
        DiagnosticIds.ProgramOrResources, StepsCategory, end: false,
        "A [Runs] or [Resources] that cannot be used",
        "Step '{0}': {1}");

    /// <summary>Every descriptor, by ID.</summary>
    public static readonly ImmutableDictionary<string, DiagnosticDescriptor> ById = typeof(DiagnosticDescriptors)
        .GetFields()
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToImmutableDictionary(d => d.Id);

    private static DiagnosticDescriptor Error(string id, string category, bool end, string title, string message) => new(
        id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpBase + id.ToLowerInvariant(),
        customTags: end ? [WellKnownDiagnosticTags.CompilationEnd] : []);

    // Warnings need the whole compilation (the steps' callees, or every reader of a product).
    private static DiagnosticDescriptor Warning(string id, string category, string title, string message) => new(
        id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpBase + id.ToLowerInvariant(),
        customTags: [WellKnownDiagnosticTags.CompilationEnd]);

    internal static IEnumerable<DiagnosticDescriptor> All => ById.Values.OrderBy(d => d.Id, System.StringComparer.Ordinal);
}
