namespace Cairn.Generator;

/// <summary>
/// The IDs of Cairn's diagnostics, shared by the generator (which only needs to know that a campaign
/// has an error) and the analyzers (which report it). IDs are a public contract: never reuse or
/// renumber one. The descriptors, with their messages, are in the analyzers' catalogue.
/// </summary>
internal static class DiagnosticIds
{
    public const string UnknownProduct = "CAIRN001";
    public const string DuplicateProduct = "CAIRN002";
    public const string InputTypeMismatch = "CAIRN003";
    public const string Cycle = "CAIRN004";
    public const string StepMethodShape = "CAIRN005";
    public const string UnboundParameter = "CAIRN006";
    public const string Unstorable = "CAIRN007";
    public const string NoOutput = "CAIRN008";
    public const string ParameterModifier = "CAIRN009";
    public const string PointsMethod = "CAIRN010";
    public const string NonDeterministic = "CAIRN011";
    public const string StaticWrite = "CAIRN012";
    public const string DuplicateStepName = "CAIRN013";
    public const string UnconsumedProduct = "CAIRN014";
    public const string InputShape = "CAIRN015";
    public const string TooManySteps = "CAIRN016";
    public const string NoSteps = "CAIRN017";
    public const string BadName = "CAIRN018";
    public const string GroupByProperty = "CAIRN019";
    public const string GroupKeyType = "CAIRN020";
    public const string GroupedShape = "CAIRN021";
    public const string GroupColumnClash = "CAIRN022";
    public const string ProgramOrResources = "CAIRN023";
}
