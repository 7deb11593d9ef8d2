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

    /// <summary>
    /// Takes every group due after <paramref name="deadline"/> out of the heap and returns the first slot of the
    /// earliest of them (-1 when none), the others chained after it in due order (<see cref="NextLateLocked"/>). No
    /// array is allocated: the heap's array is partitioned in place, the late part sorted in place, and the chain kept
    /// in each late group's first slot, where the arrival number (<see cref="Slot.Sequence"/>) served only the heap.
    /// </summary>
    private int DetachLateLocked(long deadline)
    {
        var heap = _heap;
        var count = _heapCount;
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            var head = heap[i];
            if (_store[head].DueTicks <= deadline)
            {
                heap[i] = heap[kept];
                heap[kept++] = head;
            }
        }

        if (kept == count)
        {
            return -1;
        }

        var late = heap.AsSpan(kept, count - kept);
        late.Sort((a, b) => a == b ? 0 : Before(a, b) ? -1 : 1);
        var next = uint.MaxValue;
        for (var i = late.Length - 1; i >= 0; i--)
        {
            _store[late[i]].Sequence = next;
            next = (uint)late[i];
        }

        // What is kept becomes a heap again (bottom-up, linear in its size), arrival numbers unchanged.
        _heapCount = kept;
        for (var i = kept / 2 - 1; i >= 0; i--)
        {
            SiftDownLocked(i, heap[i]);
        }

        return (int)next;
    }

    /// <summary>The late group chained after the one whose first slot is <paramref name="head"/> (see <see cref="DetachLateLocked"/>), or -1.</summary>
    private int NextLateLocked(int head) => _store[head].Sequence is var next && next == uint.MaxValue ? -1 : (int)next;

    /// <summary>
    /// Takes the whole heap away (a reset): the groups in the returned array's first <paramref name="count"/> elements
    /// are no longer queued, and groups scheduled from now on go into a new heap.
    /// </summary>
    private int[] DetachHeapLocked(out int count)
    {
        var heap = _heap;
        count = _heapCount;
        _heap = [];
        _heapCount = 0;
        return heap;
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
