using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Moclojer.Runtime.Webhooks;

public sealed partial class WebhookDispatcher
{
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
        List<Group>? late = null;
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

            // Due times are ordered, so everything due after the deadline is at the back of the queue.
            var keep = new List<int>();
            while (TryPeekLocked(out _, out var due))
            {
                var head = PopLocked();
                if (due <= _stopDeadline)
                {
                    keep.Add(head);
                }
                else
                {
                    (late ??= []).Add(TakeGroupLocked(head));
                }
            }

            foreach (var head in keep)
            {
                RequeueLocked(head);
            }

            idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _idle, idle);
            _armedAt = long.MaxValue;
            ArmLocked(now);
        }

        var sentBefore = Interlocked.Read(ref _sentCount);
        var failedBefore = Interlocked.Read(ref _failedCount);
        var abandonedBefore = Interlocked.Read(ref _abandonedCount);
        var lateCount = 0;
        if (late is not null)
        {
            foreach (var group in late)
            {
                lateCount += AbandonRest(group, $"the host shut down before it fell due (due at {group.DueAt:O})");
            }
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

        // Whatever has no outcome now is not sent.
        List<Group> remaining;
        lock (_lock)
        {
            _state = State.Stopped;
            remaining = [.. _running];
            remaining.AddRange(TakeAllLocked());

            ArmLocked(NowTicks());
        }

        foreach (var group in remaining)
        {
            AbandonRest(group, "the host's shutdown grace period ran out before it was sent");
        }

        _hardStop.Cancel();

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

    /// <summary>Stops the timer and cancels requests in flight. Entries without an outcome are not recorded.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _state = State.Stopped;
            ClearHeapLocked();
            _store.Clear();
            _waiting = 0;
            _armedAt = long.MaxValue;
        }

        _timer.Dispose();
        _hardStop.Cancel();
    }
}
