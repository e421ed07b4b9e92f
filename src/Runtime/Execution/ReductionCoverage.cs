using System.Linq;
using Cairn.Hosting;

namespace Cairn.Execution;

/// <summary>
/// Whether a reduction may run over what its list inputs cover: always for one marked
/// <c>[Step(Partial = true)]</c>, otherwise only when every current point has its inputs (a
/// grouped one: every point of the group). Run and status say the same thing about a blocked one.
/// </summary>
internal static class ReductionCoverage
{
    /// <summary>Whether global step <paramref name="step"/> must wait while <paramref name="missing"/> current points lack its list inputs.</summary>
    public static bool IsBlocked(StepInfo step, long missing) => missing > 0 && !step.Partial;

    /// <summary>The line that says why a reduction is blocked and what to do.</summary>
    public static string Message(StepInfo step, long missing, long points)
    {
        string products = string.Join("', '", step.Inputs.Where(i => i.IsList).Select(i => i.Product));
        string which = step.IsGrouped ? $" (the groups of those points wait; the others run)" : "";
        return $"{step.Name} is blocked: {missing} of {points} points have no current '{products}' (failed, or not computed yet){which}; run again once they have, or mark the step [Step(Partial = true)] to run it over the {points - missing} that have.";
    }
}
