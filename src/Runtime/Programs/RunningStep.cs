using System.Threading;
using Cairn.Hosting;

namespace Cairn.Programs;

/// <summary>
/// The step the current code runs in, set by the executors before they call it: what
/// <see cref="ExternalProgram"/> checks a program against, and the token the run cancels when it
/// gives up on the step (past its time limit), so that the program it runs is killed too.
/// </summary>
internal static class RunningStep
{
    private static readonly AsyncLocal<StepInfo?> s_step = new();
    private static readonly AsyncLocal<CancellationToken> s_givenUp = new();

    /// <summary>The step; null outside of one (a test, the user's own tools).</summary>
    public static StepInfo? Current => s_step.Value;

    /// <summary>Cancelled when the run gives up on the step; none outside of one.</summary>
    public static CancellationToken GivenUp => s_givenUp.Value;

    /// <summary>The current code runs <paramref name="step"/>, which the run gives up on by cancelling <paramref name="givenUp"/>.</summary>
    public static void Enter(StepInfo? step, CancellationToken givenUp = default)
    {
        s_step.Value = step;
        s_givenUp.Value = givenUp;
    }
}
