using System.Threading;

namespace Cairn.Execution;

/// <summary>
/// A 64-bit mask per point id, shared by the worker threads: which results are stored, and whether
/// this run has seen the point. Striped by the id's top bits, each stripe an open-addressing table
/// under its own lock: 24 bytes a slot, at most two thirds full, instead of a dictionary node per point.
/// </summary>
internal sealed class PointMasks
{
    private const int StripeBits = 6;
    private readonly Stripe[] _stripes = new Stripe[1 << StripeBits];

    public PointMasks()
    {
        for (int i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new Stripe();
        }
    }

    /// <summary>Ids held.</summary>
    public long Count
    {
        get
        {
            long count = 0;
            foreach (Stripe stripe in _stripes)
            {
                count += Volatile.Read(ref stripe.Count);
            }

            return count;
        }
    }

    /// <summary>Sets <paramref name="bits"/> on the id's mask (adding the id) and returns the mask it had before, 0 when absent.</summary>
    public ulong Or(PointId id, ulong bits)
    {
        Stripe stripe = _stripes[id.High >> (64 - StripeBits)];
        lock (stripe)
        {
            return stripe.Or(id, bits);
        }
    }

    /// <summary>The id's mask, 0 when absent.</summary>
    public ulong Get(PointId id)
    {
        Stripe stripe = _stripes[id.High >> (64 - StripeBits)];
        lock (stripe)
        {
            return stripe.Get(id);
        }
    }

    private sealed class Stripe
    {
        public int Count;

        // Slot i holds (High, Low, Mask); the all-zero id marks an empty slot and is kept apart.
        private ulong[] _slots = new ulong[3 * 64];
        private bool _hasZero;
        private ulong _zeroMask;

        public ulong Get(PointId id)
        {
            if (id.High == 0 && id.Low == 0)
            {
                return _zeroMask;
            }

            int slot = Find(_slots, id);
            return _slots[slot] == 0 && _slots[slot + 1] == 0 ? 0 : _slots[slot + 2];
        }

        public ulong Or(PointId id, ulong bits)
        {
            if (id.High == 0 && id.Low == 0)
            {
                ulong zeroBefore = _zeroMask;
                _zeroMask |= bits;
                Count += _hasZero ? 0 : 1;
                _hasZero = true;
                return zeroBefore;
            }

            int slot = Find(_slots, id);
            if (_slots[slot] == 0 && _slots[slot + 1] == 0)
            {
                if ((Count + 1) * 3 > _slots.Length / 3 * 2)
                {
                    Grow();
                    slot = Find(_slots, id);
                }

                _slots[slot] = id.High;
                _slots[slot + 1] = id.Low;
                _slots[slot + 2] = bits;
                Count++;
                return 0;
            }

            ulong before = _slots[slot + 2];
            _slots[slot + 2] = before | bits;
            return before;
        }

        /// <summary>The slot of the id, or of the empty slot where it belongs (linear probing; ids are hashes, so the low bits spread).</summary>
        private static int Find(ulong[] slots, PointId id)
        {
            int capacity = slots.Length / 3;
            int index = (int)(id.Low & (ulong)(capacity - 1));
            while (true)
            {
                int slot = index * 3;
                if ((slots[slot] == id.High && slots[slot + 1] == id.Low) || (slots[slot] == 0 && slots[slot + 1] == 0))
                {
                    return slot;
                }

                index = (index + 1) & (capacity - 1);
            }
        }

        private void Grow()
        {
            ulong[] old = _slots;
            _slots = new ulong[old.Length * 2];
            for (int slot = 0; slot < old.Length; slot += 3)
            {
                if (old[slot] != 0 || old[slot + 1] != 0)
                {
                    int target = Find(_slots, new PointId(old[slot], old[slot + 1]));
                    _slots[target] = old[slot];
                    _slots[target + 1] = old[slot + 1];
                    _slots[target + 2] = old[slot + 2];
                }
            }
        }
    }
}
