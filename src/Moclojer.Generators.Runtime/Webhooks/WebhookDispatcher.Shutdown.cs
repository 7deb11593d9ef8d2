using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Moclojer.Runtime.Webhooks;

public sealed partial class WebhookDispatcher
{
    /// <summary>How many waiting webhooks shutdown and a reset turn back into objects at a time (whole groups: a batch may end past it).</summary>
    private const int BulkBatchEntries = 256;

    /// <summary>
    /// How many webhooks shutdown abandons and logs one by one (<c>WebhookAbandoned</c>); past it, one line says how
    /// many more were not logged (a million pending webhooks would otherwise be a million lines). The journal, the
    /// metrics and the summary count every one.
    /// </summary>
    internal const int MaxAbandonedLinesAtShutdown = 1000;

    // The groups due after shutdown's deadline, chained in due order (DetachLateLocked), until shutdown records them.
    private int _lateHead = -1;
    private bool _disposed;

    /// <summary>For tests: called with the number of webhooks in each batch shutdown or a reset has just turned back into objects, before it records or releases them.</summary>
    internal Action<int>? BulkBatchTaken { get; set; }

    /// <summary>
    /// Graceful shutdown, called by the registered hosted service when the host stops.
    /// </summary>
    /// <remarks>
    /// <para>The policy:</para>
    /// <list type="number">
    /// <item>The grace period is <see cref="MoclojerWebhookOptions.ShutdownGracePeriod"/>, by default the host's
    /// <c>HostOptions.ShutdownTimeout</c>. Webhooks that fall due after it ends are not sent: they are recorded at once as
    /// <see cref="WebhookOutcome.Abandoned"/>.</item>
    /// <item>Webhooks already due, or falling due within the grace period, are sent as usual (with their own timeouts
    /// and group order). Requests still arriving meanwhile may schedule webhooks that fall due within it too; later
    /// ones are abandoned at once.</item>
    /// <item>The method returns when every such webhook has an outcome, when the grace period has passed, or when
    /// <paramref name="cancellationToken"/> fires (the host's shutdown timeout), whichever comes first. Whatever has
    /// no outcome by then is recorded as <see cref="WebhookOutcome.Abandoned"/>, requests in flight are cancelled, and
    /// later dispatches are abandoned at once.</item>
    /// <item>One summary is logged: how many were sent and failed during shutdown and how many were not sent (at
    /// warning level when any were not sent).</item>
    /// </list>
    /// <para>A relative webhook (W-14) sent during shutdown fails if the server has already stopped listening.</para>
    /// </remarks>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var grace = _shutdownGracePeriod < TimeSpan.Zero ? TimeSpan.Zero
            : _shutdownGracePeriod > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1)
            : _shutdownGracePeriod;
        TaskCompletionSource idle;
        lock (_lock)
        {
            if (_state != State.Running)
            {
                return;
            }

            _state = State.Stopping;
            var now = NowTicks();
            _stopDeadline = AddSaturating(now, grace.Ticks);

            // Everything due after the deadline leaves the queue now; it stays in the compact store until recorded.
            _lateHead = DetachLateLocked(_stopDeadline);

            idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _idle, idle);
            _armedAt = long.MaxValue;
            ArmLocked(now);
        }

        var sentBefore = Interlocked.Read(ref _sentCount);
        var failedBefore = Interlocked.Read(ref _failedCount);
        var abandonedBefore = Interlocked.Read(ref _abandonedCount);
        var lines = new AbandonedLines(MaxAbandonedLinesAtShutdown);
        var lateCount = 0;
        var batch = new List<Group>();
        while (TakeBatch(batch, TakeLateLocked))
        {
            foreach (var group in batch)
            {
                lateCount += AbandonRest(group, $"the host shut down before it fell due (due at {group.DueAt:O})", lines);
            }

            batch.Clear();
        }

        WebhookLog.ShutdownStarted(_logger, PendingCount + lateCount, grace.TotalSeconds, lateCount);

        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _pending) > 0)
        {
            using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                var gracePassed = Task.Delay(grace, _time, stopWaiting.Token);
                await Task.WhenAny(idle.Task, gracePassed).ConfigureAwait(false);
            }
            finally
            {
                stopWaiting.Cancel();
            }
        }

        // Whatever has no outcome now is not sent: the groups being sent, then the waiting ones in due order. Once
        // stopped, nothing is queued or taken from the queue any more but here (and by a reset).
        List<Group> running;
        lock (_lock)
        {
            _state = State.Stopped;
            running = [.. _running];
            ArmLocked(NowTicks());
        }

        const string ranOut = "the host's shutdown grace period ran out before it was sent";
        foreach (var group in running)
        {
            AbandonRest(group, ranOut, lines);
        }

        while (TakeBatch(batch, TakeEarliestLocked))
        {
            foreach (var group in batch)
            {
                AbandonRest(group, ranOut, lines);
            }

            batch.Clear();
        }

        _hardStop.Cancel();

        if (lines.NotLogged > 0)
        {
            WebhookLog.AbandonedNotLogged(_logger, lines.NotLogged, MaxAbandonedLinesAtShutdown);
        }

        var sent = Interlocked.Read(ref _sentCount) - sentBefore;
        var failed = Interlocked.Read(ref _failedCount) - failedBefore;
        var abandoned = Interlocked.Read(ref _abandonedCount) - abandonedBefore;
        if (abandoned > 0)
        {
            WebhookLog.ShutdownSummaryWithLosses(_logger, sent, failed, abandoned);
        }
        else
        {
            WebhookLog.ShutdownSummary(_logger, sent, failed, abandoned);
        }
    }

    /// <summary>The next group due after shutdown's deadline, or -1. Caller holds the lock.</summary>
    private int TakeLateLocked()
    {
        var head = _lateHead;
        if (head >= 0)
        {
            _lateHead = NextLateLocked(head);
        }

        return head;
    }

    /// <summary>The earliest waiting group, taken out of the queue, or -1. Caller holds the lock.</summary>
    private int TakeEarliestLocked() => _heapCount > 0 ? PopLocked() : -1;

    /// <summary>
    /// Turns the next waiting groups back into objects, at least one and about <see cref="BulkBatchEntries"/> webhooks
    /// in all, into <paramref name="batch"/>: shutdown and a reset work through the waiting webhooks this way, so they
    /// never hold them all as objects at once (a million pending webhooks are about 140 MiB in the compact store and
    /// several times that as objects). <paramref name="nextLocked"/> gives the first slot of the next group, or -1.
    /// False when there was none.
    /// </summary>
    private bool TakeBatch(List<Group> batch, Func<int> nextLocked)
    {
        var entries = 0;
        lock (_lock)
        {
            while (entries < BulkBatchEntries && nextLocked() is var head and >= 0)
            {
                var group = TakeGroupLocked(head);
                entries += group.Entries.Length;
                batch.Add(group);
            }
        }

        if (batch.Count == 0)
        {
            return false;
        }

        BulkBatchTaken?.Invoke(entries);
        return true;
    }

    /// <summary>Stops the timer and cancels requests in flight. Entries without an outcome are not recorded.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _state = State.Stopped;
            _disposed = true;
            _lateHead = -1;
            ClearHeapLocked();
            _store.Clear();
            _waiting = 0;
            _armedAt = long.MaxValue;
        }

        _timer.Dispose();
        _hardStop.Cancel();
    }
}
