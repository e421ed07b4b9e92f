using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Threading;

namespace Cairn.Execution;

/// <summary>
/// A 64-bit mask per point id, shared by the worker threads: which results are stored, and whether
/// this run has seen the point. Striped by the id's top bits, each stripe an open-addressing table
/// under its own lock: 24 bytes a slot, at most two thirds full, instead of a dictionary node per point.
/// The slots live in native memory in huge pages (<see cref="NativeTable"/>): sized once for the
/// stored points, the table for 10^6 of them is ready in milliseconds.
/// </summary>
internal sealed unsafe class PointMasks : IDisposable
{
    private const int StripeBits = 6;
    private const int Stripes = 1 << StripeBits;

    /// <summary>How many ids ahead a loop over ids announces its lookups (<see cref="Prefetch"/>).</summary>
    public const int PrefetchDistance = 8;
    private readonly Stripe[] _stripes = new Stripe[Stripes];
    private ulong* _initial;

    /// <summary>Once the table is read only (<see cref="Freeze"/>): the counts asked for so far, by bits.</summary>
    private System.Collections.Concurrent.ConcurrentDictionary<ulong, int>? _counts;

    /// <summary>Creates an empty table sized for about <paramref name="expected"/> ids, so that holding them needs no growing.</summary>
    public PointMasks(long expected = 0)
    {
        int capacity = 64;
        while (capacity * 2L < (expected * 3 / Stripes) + 64)
        {
            capacity *= 2;
        }

        // One allocation for all stripes, so that it spans whole huge pages; a stripe that outgrows
        // its share moves to memory of its own.
        _initial = NativeTable.Allocate(3L * capacity * Stripes);
        for (int i = 0; i < Stripes; i++)
        {
            _stripes[i] = new Stripe(_initial + (3L * capacity * i), capacity);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Or(PointId id, ulong bits)
    {
        Stripe stripe = WritableStripeOf(id);
        lock (stripe)
        {
            return stripe.Or(id, bits);
        }
    }

    /// <summary>
    /// The part (0 to <paramref name="parts"/> - 1) that owns the id's stripe: threads that each
    /// touch only the ids of their own part may use <see cref="OrInPart"/>, which takes no lock.
    /// </summary>
    public static int PartOf(PointId id, int parts) => StripeIndex(id) * parts / Stripes;

    /// <summary>
    /// <see cref="Or"/> without the lock, for a thread that alone touches the ids of its
    /// <see cref="PartOf"/> part while no other thread calls <see cref="Or"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong OrInPart(PointId id, ulong bits) => WritableStripeOf(id).Or(id, bits);

    /// <summary>
    /// Makes the table read only: from now on each count (<see cref="CountHaving"/>) walks the table
    /// once, however often it is asked for (a run asks for the same few counts many times once its
    /// per-point steps are done, and a walk of a 10^7-point table takes a tenth of a second).
    /// </summary>
    public void Freeze() => _counts ??= new();

    /// <summary>
    /// Asks the processor to fetch the id's slot into the cache: a loop that announces the ids it
    /// will look up a few iterations ahead waits for several cache misses at once instead of one
    /// after another. Only a hint: it takes no lock and never faults.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(PointId id)
    {
        if (Sse.IsSupported)
        {
            _stripes[StripeIndex(id)].Prefetch(id);
        }
    }

    /// <summary>The id's mask, 0 when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong Get(PointId id)
    {
        Stripe stripe = StripeOf(id);
        lock (stripe)
        {
            return stripe.Get(id);
        }
    }

    /// <summary>How many ids have every one of <paramref name="bits"/> in their mask.</summary>
    public int CountHaving(ulong bits) => _counts is { } counts ? counts.GetOrAdd(bits, Walk) : Walk(bits);

    private int Walk(ulong bits)
    {
        int count = 0;
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe)
            {
                count += stripe.Having(bits, [], copy: false);
            }
        }

        return count;
    }

    /// <summary>How many stripes the table has: <see cref="CopyHaving(int, ulong, ref PointId[])"/> goes through one at a time.</summary>
    public const int StripeCount = Stripes;

    /// <summary>
    /// The ids of stripe <paramref name="stripe"/> whose mask has every one of <paramref name="bits"/>,
    /// written to <paramref name="ids"/> (grown when too small), in no particular order; returns how
    /// many. Walking the stripes one by one visits every id with a buffer of a stripe's size, not the table's.
    /// </summary>
    public int CopyHaving(int stripe, ulong bits, ref PointId[] ids)
    {
        Stripe owner = _stripes[stripe];
        lock (owner)
        {
            int count = owner.Having(bits, [], copy: false);
            if (ids.Length < count)
            {
                ids = new PointId[count];
            }

            return owner.Having(bits, ids, copy: true);
        }
    }

    /// <summary>
    /// Writes the ids whose mask has every one of <paramref name="bits"/> to <paramref name="ids"/>,
    /// in no particular order, and returns how many; <paramref name="ids"/> must hold at least
    /// <see cref="CountHaving"/> of them.
    /// </summary>
    public int CopyHaving(ulong bits, Span<PointId> ids)
    {
        int count = 0;
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe)
            {
                count += stripe.Having(bits, ids[count..], copy: true);
            }
        }

        return count;
    }

    public void Dispose()
    {
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe)
            {
                stripe.Release();
            }
        }

        if (_initial != null)
        {
            NativeTable.Free(_initial);
            _initial = null;
        }
    }

    private Stripe WritableStripeOf(PointId id) =>
        _counts is null ? StripeOf(id) : throw new InvalidOperationException("the table of point masks is read only once frozen");

    private Stripe StripeOf(PointId id)
    {
        ObjectDisposedException.ThrowIf(_initial == null, this);
        return _stripes[StripeIndex(id)];
    }

    private static int StripeIndex(PointId id) => (int)(id.High >> (64 - StripeBits));

    private sealed class Stripe(ulong* slots, int capacity)
    {
        public int Count;

        // Slot i holds (High, Low, Mask) at 3i; the all-zero id marks an empty slot and is kept apart.
        private ulong* _slots = slots;
        private int _capacity = capacity;
        private bool _ownsSlots;
        private bool _hasZero;
        private ulong _zeroMask;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public ulong Get(PointId id)
        {
            if (id.High == 0 && id.Low == 0)
            {
                return _zeroMask;
            }

            ulong* slot = Find(_slots, _capacity, id);
            return slot[0] == 0 && slot[1] == 0 ? 0 : slot[2];
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

            ulong* slot = Find(_slots, _capacity, id);
            if (slot[0] == 0 && slot[1] == 0)
            {
                if ((Count + 1) * 3L > _capacity * 2L)
                {
                    Grow();
                    slot = Find(_slots, _capacity, id);
                }

                slot[0] = id.High;
                slot[1] = id.Low;
                slot[2] = bits;
                Count++;
                return 0;
            }

            ulong before = slot[2];
            slot[2] = before | bits;
            return before;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Prefetch(PointId id)
        {
            ulong* slots = _slots;
            int capacity = _capacity;
            if (slots != null)
            {
                Sse.Prefetch0(slots + (3 * (long)(id.Low & (ulong)(capacity - 1))));
            }
        }

        /// <summary>Counts the ids having <paramref name="bits"/>, and when <paramref name="copy"/> writes them to <paramref name="ids"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int Having(ulong bits, Span<PointId> ids, bool copy)
        {
            int count = 0;
            if (_hasZero && (_zeroMask & bits) == bits)
            {
                if (copy)
                {
                    ids[count] = default;
                }

                count++;
            }

            for (long i = 0; i < _capacity; i++)
            {
                ulong* slot = _slots + (3 * i);
                if ((slot[2] & bits) == bits && (slot[0] != 0 || slot[1] != 0))
                {
                    if (copy)
                    {
                        ids[count] = new PointId(slot[0], slot[1]);
                    }

                    count++;
                }
            }

            return count;
        }

        public void Release()
        {
            if (_ownsSlots)
            {
                NativeTable.Free(_slots);
            }

            _ownsSlots = false;
            _slots = null;
            _capacity = 0;
        }

        /// <summary>The slot of the id, or the empty slot where it belongs (linear probing; ids are hashes, so the low bits spread).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
        private static ulong* Find(ulong* slots, int capacity, PointId id)
        {
            long index = (long)(id.Low & (ulong)(capacity - 1));
            while (true)
            {
                ulong* slot = slots + (3 * index);
                if ((slot[0] == id.High && slot[1] == id.Low) || (slot[0] == 0 && slot[1] == 0))
                {
                    return slot;
                }

                index = (index + 1) & (capacity - 1);
            }
        }

        private void Grow()
        {
            int capacity = checked(_capacity * 2);
            ulong* slots = NativeTable.Allocate(3L * capacity);
            for (long i = 0; i < _capacity; i++)
            {
                ulong* old = _slots + (3 * i);
                if (old[0] != 0 || old[1] != 0)
                {
                    ulong* target = Find(slots, capacity, new PointId(old[0], old[1]));
                    target[0] = old[0];
                    target[1] = old[1];
                    target[2] = old[2];
                }
            }

            Release();
            _slots = slots;
            _capacity = capacity;
            _ownsSlots = true;
        }
    }
}
