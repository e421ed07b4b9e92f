using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading;

namespace Cairn.Cli;

/// <summary>
/// SIGINT (Ctrl-C), SIGTERM and, on Linux, SIGUSR1 (the warning a Slurm task asks for before its
/// time limit) while a command runs: the first one cancels <see cref="Token"/>, so that the command
/// stops taking work, commits what is finished and exits with <see cref="ExitCode"/>; a second one
/// ends the process at once, as if none were caught.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly Action<string> _warn;
    private int _signal;
    private long _first;

    private Interruption(Action<string> warn)
    {
        _warn = warn;
        _registrations = Register(Handle);
    }

    /// <summary>What a stopped worker's line says when SIGUSR1 stopped it: its task's log then tells the time limit was near.</summary>
    public const string TimeLimitNear = "the time limit is near";

    /// <summary>SIGUSR1, which Linux numbers 10.</summary>
    public static PosixSignal TimeLimitSignal => (PosixSignal)Native.Libc.SigUsr1;

    /// <summary>Registers <paramref name="handler"/> for every signal that stops a command.</summary>
    public static PosixSignalRegistration[] Register(Action<PosixSignalContext> handler)
    {
        PosixSignalRegistration[] both = [PosixSignalRegistration.Create(PosixSignal.SIGINT, handler), PosixSignalRegistration.Create(PosixSignal.SIGTERM, handler)];
        return OperatingSystem.IsLinux() ? [.. both, PosixSignalRegistration.Create(TimeLimitSignal, handler)] : both;
    }

    /// <summary>The number <c>kill</c> sends for <paramref name="signal"/>, to pass a stopping signal on to a child.</summary>
    public static int NumberOf(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGTERM => 15,
        PosixSignal.SIGINT => 2,
        _ => (int)signal,
    };

    /// <summary>Catches the stopping signals until disposed; <paramref name="warn"/> receives the line that says the command is stopping.</summary>
    public static Interruption Listen(Action<string> warn) => new(warn);

    public CancellationToken Token => _stop.Token;

    /// <summary>Whether a signal stopped the command.</summary>
    public bool Stopped => Volatile.Read(ref _signal) != 0;

    /// <summary>130 after SIGINT, 143 after SIGTERM, 138 after SIGUSR1: what a shell reports for a process the signal ended.</summary>
    public int ExitCode => ExitCodeOf(Volatile.Read(ref _signal));

    /// <summary>What a command stopped by <paramref name="signal"/> (a <see cref="PosixSignal"/> value) exits with.</summary>
    public static int ExitCodeOf(int signal) =>
        signal == (int)PosixSignal.SIGTERM ? ExitCodes.Terminated
        : signal == (int)TimeLimitSignal ? ExitCodes.TimeLimitNear
        : ExitCodes.Interrupted;

    private void Handle(PosixSignalContext context)
    {
        Interlocked.CompareExchange(ref _first, Stopwatch.GetTimestamp(), 0);
        if (Interlocked.CompareExchange(ref _signal, (int)context.Signal, 0) != 0)
        {
            // A run's supervisor passes on the Ctrl-C that the terminal also sent here: the same one.
            if (Stopwatch.GetElapsedTime(Volatile.Read(ref _first)) < TimeSpan.FromMilliseconds(500))
            {
                context.Cancel = true;
                return;
            }

            // The second signal: the process ends as the signal would end it.
            context.Cancel = false;
            return;
        }

        context.Cancel = true;
        (string name, string again) = context.Signal == PosixSignal.SIGTERM ? ("SIGTERM", "another SIGTERM")
            : context.Signal == TimeLimitSignal ? ($"SIGUSR1 ({TimeLimitNear})", "another SIGUSR1")
            : ("Ctrl-C", "Ctrl-C again");
        _warn($"{name}: stopping; the finished results are being committed ({again} quits at once and loses them).");
        _stop.Cancel();
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }
}
