using System.Threading;
using Cairn.Hosting;

namespace Cairn.Programs;

/// <summary>The step the current code runs in, set by the executors before they call it: what <see cref="ExternalProgram"/> checks a program against.</summary>
internal static class RunningStep
{
    private static readonly AsyncLocal<StepInfo?> s_step = new();

    /// <summary>The step; null outside of one (a test, the user's own tools).</summary>
    public static StepInfo? Current
    {
        get => s_step.Value;
        set => s_step.Value = value;
    }
}
