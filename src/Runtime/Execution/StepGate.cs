using System.Diagnostics;
using System.Threading;

namespace Cairn.Execution;

/// <summary>
/// Who may touch a worker's buffers: the worker, except while it is inside a step's own code, when
/// the run's watchdog may <see cref="TryHold"/> them (to hand finished results to the writer, or to
/// give up on a step that ran past its time limit). A worker given up on (<see cref="Abandon"/>)
/// never touches them again, whenever its step returns.
/// </summary>
internal sealed class StepGate
{
    private const int Outside = 0;
    private const int Inside = 1;
    private const int Held = 2;
    private const int Abandoned = 3;

    private readonly CancellationTokenSource _givenUp = new();
    private int _state;
    private long _enteredAt;
    private int _step = -1;

    /// <summary>Cancelled when the watchdog gives up on the worker: a program its step runs is killed then.</summary>
    public CancellationToken GivenUp => _givenUp.Token;

    /// <summary>Whether the worker was given up on: it must stop without touching anything.</summary>
    public bool IsAbandoned => Volatile.Read(ref _state) == Abandoned;

    /// <summary>The step the worker is inside (or last was).</summary>
    public int Step => Volatile.Read(ref _step);

    /// <summary>How long the worker has been inside its step; zero when outside.</summary>
    public long InsideTicks(long now) => Volatile.Read(ref _state) is Inside or Held ? now - Volatile.Read(ref _enteredAt) : 0;

    /// <summary>The worker enters step <paramref name="step"/>'s code: from now the watchdog may hold its buffers.</summary>
    public void Enter(int step)
    {
        _step = step;
        _enteredAt = Stopwatch.GetTimestamp();
        Volatile.Write(ref _state, Inside);
    }

    /// <summary>
    /// The worker's step returned: takes its buffers back, waiting while the watchdog holds them.
    /// False when the worker was given up on: it must not touch them.
    /// </summary>
    public bool TryLeave()
    {
        var wait = new SpinWait();
        while (true)
        {
            switch (Interlocked.CompareExchange(ref _state, Outside, Inside))
            {
                case Inside:
                    return true;
                case Abandoned:
                    return false;
                case Outside:
                    return true;
                default:
                    wait.SpinOnce();
                    break;
            }
        }
    }

    /// <summary>The watchdog takes the buffers of a worker that is inside a step; false when it is not.</summary>
    public bool TryHold() => Interlocked.CompareExchange(ref _state, Held, Inside) == Inside;

    /// <summary>The watchdog gives the buffers back to the worker, still inside its step.</summary>
    public void Release() => Volatile.Write(ref _state, Inside);

    /// <summary>The watchdog, holding the buffers, gives up on the worker for good, and cancels <see cref="GivenUp"/>.</summary>
    public void Abandon()
    {
        Volatile.Write(ref _state, Abandoned);
        _givenUp.Cancel();
    }
}
