namespace Cairn.Hosting;

/// <summary>How often a step runs.</summary>
public enum StepKind
{
    /// <summary>Once per point, fused with the other per-point steps of that point.</summary>
    PerPoint,

    /// <summary>Once for the whole campaign, after its inputs exist: a reduction over lists of per-point products.</summary>
    Global,
}
