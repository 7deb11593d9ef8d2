using System;

namespace Moclojer.Runtime.Webhooks;

/// <summary>
/// The waiting groups in due order: a binary min-heap of the index of each group's first slot, 4 bytes per group. The
/// order (due ticks, then arrival) is read from that slot (<see cref="Slot.DueTicks"/>, <see cref="Slot.Sequence"/>), so
/// the heap holds nothing else. Everything here is guarded by the dispatcher's lock.
/// </summary>
public sealed partial class WebhookDispatcher
{
    private const int InitialHeapCapacity = 16;

    // One flat array, doubled when full: every sift step indexes it, and a flat array keeps that to one bounds check.
    // At 4 bytes a group, doubling copies on average one element per enqueue and leaves at most one half unused; at a
    // million pending webhooks the array is 4 MiB and the one it replaced (2 MiB) is garbage at once. Chunks would
    // only save that transient copy.
    private int[] _heap = [];
    private int _heapCount;

    // The arrival number of the next group. 32 bits suffice: it restarts whenever no webhook waits (ForgetOrderLocked),
    // and the rare process that always has one waiting over 4 billion arrivals has its numbers compacted (RenumberLocked).
    // (Not when the heap is merely empty: shutdown takes groups out and puts some back with their numbers.)
    private uint _sequence;

    /// <summary>Queues the group whose first slot is <paramref name="head"/>, due at <paramref name="dueTicks"/>, after every group already queued with the same due time.</summary>
    private void EnqueueLocked(int head, long dueTicks)
    {
        if (_sequence == uint.MaxValue)
        {
            RenumberLocked();
        }

        ref var slot = ref _store[head];
        slot.DueTicks = dueTicks;
        slot.Sequence = _sequence++;
        if (_heapCount == _heap.Length)
        {
            var capacity = _heap.Length == 0 ? InitialHeapCapacity : (int)Math.Min((uint)_heap.Length * 2, (uint)Array.MaxLength);
            Array.Resize(ref _heap, capacity);
        }

        SiftUpLocked(_heapCount++, head);
    }

    /// <summary>The first slot of the earliest group, or false when none waits.</summary>
    private bool TryPeekLocked(out int head, out long dueTicks)
    {
        if (_heapCount == 0)
        {
            head = -1;
            dueTicks = 0;
            return false;
        }

        head = _heap[0];
        dueTicks = _store[head].DueTicks;
        return true;
    }

    /// <summary>Takes the earliest group out of the heap and returns its first slot. The heap must not be empty.</summary>
    private int PopLocked()
    {
        var top = _heap[0];
        var last = _heap[--_heapCount];
        if (_heapCount > 0)
        {
            SiftDownLocked(0, last);
        }

        return top;
    }

    /// <summary>Puts a group taken out by <see cref="PopLocked"/> back, with its due time and arrival number unchanged.</summary>
    private void RequeueLocked(int head)
    {
        // It was in the heap a moment ago, so the array has room for it.
        SiftUpLocked(_heapCount++, head);
    }

    /// <summary>Called once no slot is in use: arrival numbers start again, and after a burst the heap's array goes.</summary>
    private void ForgetOrderLocked(bool trim)
    {
        _sequence = 0;
        if (trim)
        {
            _heap = [];
        }
    }

    private void ClearHeapLocked()
    {
        _heap = [];
        _heapCount = 0;
        _sequence = 0;
    }

    /// <summary>Whether group <paramref name="a"/> goes before group <paramref name="b"/>: earlier due time, or the same and earlier arrival.</summary>
    private bool Before(int a, int b)
    {
        ref var x = ref _store[a];
        ref var y = ref _store[b];
        return x.DueTicks < y.DueTicks || (x.DueTicks == y.DueTicks && x.Sequence < y.Sequence);
    }

    private void SiftUpLocked(int hole, int head)
    {
        while (hole > 0)
        {
            var parent = (hole - 1) >> 1;
            if (!Before(head, _heap[parent]))
            {
                break;
            }

            _heap[hole] = _heap[parent];
            hole = parent;
        }

        _heap[hole] = head;
    }

    private void SiftDownLocked(int hole, int head)
    {
        var count = _heapCount;
        while (true)
        {
            var left = 2L * hole + 1; // long: no overflow past a billion groups
            if (left >= count)
            {
                break;
            }

            var child = (int)left;
            if (child + 1 < count && Before(_heap[child + 1], _heap[child]))
            {
                child++;
            }

            if (!Before(_heap[child], head))
            {
                break;
            }

            _heap[hole] = _heap[child];
            hole = child;
        }

        _heap[hole] = head;
    }

    /// <summary>
    /// Sets the arrival number of the next group, so that tests reach <see cref="RenumberLocked"/> without 4 billion
    /// arrivals. Only while no group waits (numbers already given must stay below it).
    /// </summary>
    internal void SetNextArrivalNumber(uint next)
    {
        lock (_lock)
        {
            if (_heapCount != 0)
            {
                throw new InvalidOperationException("Groups are waiting.");
            }

            _sequence = next;
        }
    }

    /// <summary>
    /// Gives the waiting groups the arrival numbers 0, 1, 2... in their present arrival order, so numbering can go on.
    /// Only the relative order of the numbers is ever compared, so the heap stays valid as it is.
    /// </summary>
    private void RenumberLocked()
    {
        var heads = _heap.AsSpan(0, _heapCount).ToArray();
        var arrivals = new uint[heads.Length];
        for (var i = 0; i < heads.Length; i++)
        {
            arrivals[i] = _store[heads[i]].Sequence;
        }

        Array.Sort(arrivals, heads);
        for (var i = 0; i < heads.Length; i++)
        {
            _store[heads[i]].Sequence = (uint)i;
        }

        _sequence = (uint)heads.Length;
    }
}
