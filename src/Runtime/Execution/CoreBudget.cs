using System;
using System.Threading;

namespace Cairn.Execution;

/// <summary>
/// The cores of a run, which the points it runs take and give back, so that steps that need more
/// than one core (<c>[Resources]</c>: an MPI program's ranks, a threaded code) run beside in-process
/// steps without oversubscribing the machine. First come, first served: a point that waits for four
/// cores is not overtaken by points that want one, so it starts as soon as the points before it end.
/// </summary>
internal sealed class CoreBudget
{
    private readonly object _lock = new();
    private int _free;
    private long _next;
    private long _serving;

    /// <summary>A budget of <paramref name="cores"/> cores, all free.</summary>
    public CoreBudget(int cores)
    {
        Capacity = Math.Max(1, cores);
        _free = Capacity;
    }

    /// <summary>The cores of the run.</summary>
    public int Capacity { get; }

    /// <summary>The cores free now.</summary>
    public int Free
    {
        get
        {
            lock (_lock)
            {
                return _free;
            }
        }
    }

    /// <summary>What a request of <paramref name="cores"/> takes: at least one, at most all.</summary>
    public int Clamp(int cores) => Math.Clamp(cores, 1, Capacity);

    /// <summary>Waits for its turn and for <paramref name="cores"/> free cores (clamped, see <see cref="Clamp"/>), and takes them; returns how many it took.</summary>
    public int Take(int cores)
    {
        int wanted = Clamp(cores);
        lock (_lock)
        {
            long ticket = _next++;
            while (ticket != _serving || _free < wanted)
            {
                Monitor.Wait(_lock);
            }

            _free -= wanted;
            _serving++;
            Monitor.PulseAll(_lock);
        }

        return wanted;
    }

    /// <summary>Gives back cores that <see cref="Take"/> took.</summary>
    public void Give(int cores)
    {
        if (cores <= 0)
        {
            return;
        }

        lock (_lock)
        {
            _free = Math.Min(Capacity, _free + cores);
            Monitor.PulseAll(_lock);
        }
    }
}
