using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Moclojer.Runtime.Webhooks;

/// <summary>
/// Sends the webhooks of mock endpoints in the background (spec section W). Generated handlers call
/// <see cref="Dispatch(HttpContext, string, DateTimeOffset, IReadOnlyList{WebhookEntry})"/> once per request with the
/// entries whose condition held; the client's response never waits for, or depends on, anything done here.
/// </summary>
/// <remarks>
/// <para>
/// <b>Scheduling.</b> One priority queue ordered by (due time, arrival) holds every webhook that is waiting for its
/// <c>sleep-time</c>, and one timer from the registered <see cref="TimeProvider"/> is armed for the earliest due time:
/// no thread, timer or task exists per pending webhook. The delay counts from when the request was received (W-5).
/// The entries of one request with the same <c>sleep-time</c> form a group that is sent one entry after another in
/// declaration order, each once the previous one has been answered, has failed or has timed out (W-18); groups and
/// requests never wait for each other.
/// </para>
/// <para>
/// <b>Sending.</b> Through the <see cref="IHttpClientFactory"/> client named <see cref="HttpClientName"/>, with
/// <c>User-Agent: Moclojer.Generators/&lt;version&gt;</c>, the configured headers (values made safe by <see cref="MockText.HeaderValue"/>: control characters removed, non-ASCII percent-encoded), the body
/// verbatim with <c>Content-Type: application/json</c> added when there is a body and no configured Content-Type (W-8),
/// and <c>X-Moclojer-Webhook-Depth</c> set to the trigger's depth plus one (W-16). Each request has its own timeout
/// (W-17). The response is read and discarded; nothing is retried unless the entry has a <see cref="WebhookEntry.Retry"/> (see WebhookDispatcher.Delivery.cs). Redirects are not followed: a <c>3xx</c> answer is
/// recorded as sent with its status (following it could reach a host the allow-list never saw).
/// </para>
/// <para>
/// <b>Cap.</b> At most <see cref="MoclojerWebhookOptions.MaxPending"/> webhooks await an outcome at once. Past it, new
/// entries are dropped: counted, logged at warning level and recorded as <see cref="WebhookOutcome.Dropped"/>. So are
/// entries that would take the bytes held by pending webhooks (rendered bodies, urls and headers) past
/// <see cref="MoclojerWebhookOptions.MaxPendingBytes"/>.
/// </para>
/// </remarks>
public sealed partial class WebhookDispatcher : IDisposable
{
    /// <summary>The header that carries a webhook request's depth (W-16).</summary>
    public const string DepthHeaderName = "X-Moclojer-Webhook-Depth";

    /// <summary>The deepest webhook that is still sent (W-16); a webhook whose depth would exceed it is skipped.</summary>
    public const int MaxDepth = 10;

    /// <summary>The name of the <see cref="IHttpClientFactory"/> client webhooks are sent with.</summary>
    public const string HttpClientName = "Moclojer.Webhooks";

    private const long MaxArmTicks = TimeSpan.TicksPerHour;

    /// <summary>How much of a webhook's rendered body its journal record keeps (like the request journal): 64 KiB.</summary>
    private const int MaxRecordedRequestBody = 64 * 1024;

    /// <summary>How much of the answer's body a journal record keeps: 1 KiB.</summary>
    private const int MaxRecordedResponseBody = 1024;
    private static readonly TimeSpan MaxRequestTimeout = TimeSpan.FromDays(24);
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private static readonly HashSet<string> ContentHeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Allow", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length", "Content-Location",
        "Content-MD5", "Content-Range", "Content-Type", "Expires", "Last-Modified",
    };

    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly WebhookJournal _journal;
    private readonly WebhookMetrics _metrics;
    private readonly ILogger _logger;
    private readonly HostAllowList _allowList;
    private readonly bool _checkRelativeUrls;
    private readonly bool _denyPrivateCallbacks;
    private readonly int _maxPending;
    private readonly long _maxPendingBytes;
    private readonly TimeSpan _shutdownGracePeriod;
    private readonly long _origin;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _hardStop = new();
    private CancellationTokenSource _resetSource = new();

    // Everything below is guarded by _lock, except the Interlocked counters.
    private readonly object _lock = new();
    // The waiting groups are a heap of slots (WebhookDispatcher.Queue.cs) in the compact store (WebhookDispatcher.Store.cs).
    private readonly HashSet<Group> _running = [];
    private long _armedAt = long.MaxValue;
    private int _waiting;
    private State _state;
    private long _stopDeadline;
    private TaskCompletionSource? _idle;

    private int _pending;
    private long _pendingBytes;
    private long _scheduledCount;
    private long _sentCount;
    private long _failedCount;
    private long _skippedCount;
    private long _droppedCount;
    private long _abandonedCount;

    internal WebhookDispatcher(
        IHttpClientFactory clients,
        MoclojerWebhookOptions options,
        TimeProvider time,
        WebhookJournal journal,
        System.Diagnostics.Metrics.IMeterFactory meterFactory,
        ILogger<WebhookDispatcher> logger,
        TimeSpan hostShutdownTimeout,
        Microsoft.Extensions.Configuration.IConfiguration? configuration = null)
    {
        _configuration = configuration; // W-20: secret-from keys
        _random = options.SleepTimeRandom; // W-22
        _clients = clients;
        _time = time;
        _journal = journal;
        _logger = logger;
        _allowList = new HostAllowList(options.AllowedHosts);
        _checkRelativeUrls = options.CheckRelativeUrlsAgainstAllowedHosts;
        _denyPrivateCallbacks = options.DenyPrivateCallbackAddresses;
        _maxPending = options.MaxPending;
        _maxPendingBytes = options.MaxPendingBytes;
        _shutdownGracePeriod = options.ShutdownGracePeriod ?? hostShutdownTimeout;
        _metrics = new WebhookMetrics(meterFactory, () => Volatile.Read(ref _pending));
        _origin = time.GetTimestamp();

        // The scheduler's one timer. On the system clock, a thread of its own that waits on the precise clock
        // (SystemClockTimer); on any other clock (a fake one in tests), the clock's own timer. It must not capture the
        // ambient context of whichever request created the dispatcher.
        if (ReferenceEquals(time, TimeProvider.System))
        {
            _timer = new SystemClockTimer(OnTimer, "Moclojer webhook scheduler");
        }
        else
        {
            using (ExecutionContext.SuppressFlow())
            {
                _timer = time.CreateTimer(static state => ((WebhookDispatcher)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private enum State
    {
        Running,
        Stopping,
        Stopped,
    }

    /// <summary>How many webhooks await an outcome (waiting for their delay, behind an earlier entry, or being sent).</summary>
    public int PendingCount => Volatile.Read(ref _pending);

    /// <summary>
    /// The bytes held by pending webhooks, as counted against <see cref="MoclojerWebhookOptions.MaxPendingBytes"/>: each
    /// entry's rendered body, plus two bytes per character of its url and headers.
    /// </summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    /// <summary>Counts since start, for diagnostics and tests.</summary>
    public WebhookDispatcherStatistics GetStatistics()
    {
        int waiting;
        lock (_lock)
        {
            waiting = _waiting;
        }

        return new WebhookDispatcherStatistics(
            PendingCount,
            waiting,
            Interlocked.Read(ref _scheduledCount),
            Interlocked.Read(ref _sentCount),
            Interlocked.Read(ref _failedCount),
            Interlocked.Read(ref _skippedCount),
            Interlocked.Read(ref _droppedCount),
            Interlocked.Read(ref _abandonedCount));
    }

    /// <summary>
    /// Schedules the webhooks of one request. Call it once per request, before the response is sent, with every entry
    /// whose condition held, in declaration order. It returns at once and never throws: whatever goes wrong is logged
    /// and recorded, and the client's response is not affected.
    /// </summary>
    /// <param name="trigger">The triggering request: its local address, port, scheme and <c>Host</c> (for relative urls) and its depth header.</param>
    /// <param name="endpointName">The endpoint's name for logs, metrics and the journal (for example <c>POST /orders/:id</c>).</param>
    /// <param name="receivedAt">When the request was received, from the same <see cref="TimeProvider"/>; delays count from it.</param>
    /// <param name="entries">The rendered entries whose condition held.</param>
    public void Dispatch(HttpContext trigger, string endpointName, DateTimeOffset receivedAt, IReadOnlyList<WebhookEntry> entries)
    {
        try
        {
            if (entries is null || entries.Count == 0)
            {
                return;
            }

            Dispatch(WebhookTrigger.FromHttpContext(trigger), endpointName, receivedAt, WithCallerTrace(trigger, entries));
        }
        catch (Exception ex)
        {
            WebhookLog.DispatchError(_logger, endpointName ?? "?", ex);
        }
    }

    /// <summary>
    /// With no activity current (nothing listens to traces), entries carry the caller's W3C trace context, if its
    /// request had one: the webhook then continues the caller's trace (caller → receiver) as it does when traces are
    /// recorded (caller → mock → receiver).
    /// </summary>
    private static IReadOnlyList<WebhookEntry> WithCallerTrace(HttpContext trigger, IReadOnlyList<WebhookEntry> entries)
    {
        if (Activity.Current is not null || trigger is null || !MoclojerTracing.TryReadParent(trigger.Request.Headers, out var caller))
        {
            return entries;
        }
        var traced = new WebhookEntry[entries.Count];
        for (var i = 0; i < traced.Length; i++)
        {
            var entry = entries[i];
            traced[i] = entry is null || entry.TraceContext != default ? entry! : entry with { TraceContext = caller };
        }
        return traced;
    }

    /// <summary>
    /// Schedules the webhooks of one trigger described by <paramref name="trigger"/>. Same contract as
    /// <see cref="Dispatch(HttpContext, string, DateTimeOffset, IReadOnlyList{WebhookEntry})"/>.
    /// </summary>
    public void Dispatch(WebhookTrigger trigger, string endpointName, DateTimeOffset receivedAt, IReadOnlyList<WebhookEntry> entries)
    {
        try
        {
            DispatchCore(trigger, endpointName ?? string.Empty, receivedAt, entries);
        }
        catch (Exception ex)
        {
            WebhookLog.DispatchError(_logger, endpointName ?? "?", ex);
        }
    }

    /// <summary>Logs and counts an entry left out because its condition was false (W-6). Nothing is sent or journaled.</summary>
    public void RecordConditionFalse(string endpointName, int index)
    {
        WebhookLog.ConditionFalse(_logger, endpointName, index);
        _metrics.Skipped(endpointName, "condition");
    }

    /// <summary>
    /// Records an entry left out because its <c>if</c> was false (W-6) so a test can see why it did not fire: logged at
    /// information level, counted, and journaled as <see cref="WebhookOutcome.Skipped"/> with the error
    /// <c>condition false</c>, the <paramref name="condition"/> text and the value each variable had
    /// (<c>json-params.curency = "" (absent)</c>). Never throws.
    /// </summary>
    /// <param name="trigger">The triggering request (for the depth the webhook would have had).</param>
    /// <param name="endpointName">The endpoint, as given to <see cref="Dispatch(HttpContext, string, DateTimeOffset, IReadOnlyList{WebhookEntry})"/>.</param>
    /// <param name="receivedAt">When the request was received (<see cref="MockRequest.ReceivedAt"/>).</param>
    /// <param name="index">The entry's 0-based position in the endpoint's <c>webhook</c> list.</param>
    /// <param name="method">The entry's method.</param>
    /// <param name="url">The entry's url, rendered if it could be, else as written.</param>
    /// <param name="condition">The <c>if</c> as written in the mock file.</param>
    /// <param name="values">Each variable of the condition and its value (null when absent), in order of appearance.</param>
    public void RecordConditionFalse(
        HttpContext trigger, string endpointName, DateTimeOffset receivedAt, int index, string method, string url, string condition,
        params ReadOnlySpan<(string Name, string? Value)> values)
    {
        try
        {
            endpointName ??= string.Empty;
            var formatted = new string[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                formatted[i] = FormatVariable(values[i].Name, values[i].Value);
            }

            var depth = trigger is null ? 1 : WebhookTrigger.ParseDepth(trigger.Request.Headers[DepthHeaderName]);
            depth = depth == int.MaxValue ? depth : depth + 1;
            var now = _time.GetUtcNow();
            Interlocked.Increment(ref _skippedCount);
            _metrics.Skipped(endpointName, "condition");
            WebhookLog.ConditionFalseRecorded(_logger, endpointName, index, method ?? string.Empty, url ?? string.Empty, condition ?? string.Empty, string.Join(", ", formatted));
            _journal.Add(new WebhookRecord
            {
                Endpoint = endpointName,
                Index = index,
                Method = method ?? string.Empty,
                Url = url ?? string.Empty,
                Depth = depth,
                ScheduledAt = now,
                DueAt = receivedAt,
                CompletedAt = now,
                Outcome = WebhookOutcome.Skipped,
                Error = "condition false",
                Condition = condition,
                ConditionValues = formatted,
            });
        }
        catch (Exception ex)
        {
            WebhookLog.DispatchError(_logger, endpointName ?? "?", ex);
        }
    }

    /// <summary><c>json-params.currency = "EUR"</c>; an absent value reads <c>"" (absent)</c>. Long values are cut at 200 characters.</summary>
    private static string FormatVariable(string name, string? value)
    {
        if (value is null)
        {
            return name + " = \"\" (absent)";
        }

        var shown = value.Length > 200 ? value[..200] + "…" : value;
        return name + " = \"" + shown.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// Cancels every pending webhook (the test host's reset): those waiting for their sleep-time are forgotten and those
    /// being sent are cancelled. None is journaled: a reset mock has no memory of them. Returns how many were cancelled.
    /// </summary>
    /// <remarks>
    /// The waiting ones leave the queue at once (webhooks scheduled after the reset are not affected) and are then
    /// released a batch at a time, so a reset never holds them all as objects.
    /// </remarks>
    public int CancelPending()
    {
        List<Group> running;
        CancellationTokenSource previous;
        int[] waiting;
        int waitingCount;
        lock (_lock)
        {
            running = [.. _running];
            waiting = DetachHeapLocked(out waitingCount);
            previous = _resetSource;
            _resetSource = new CancellationTokenSource();
            ArmLocked(NowTicks());
        }

        var cancelled = 0;
        foreach (var group in running)
        {
            int from;
            lock (group)
            {
                if (group.Closed)
                {
                    continue;
                }

                group.Closed = true;
                from = group.Next;
                group.Next = group.Entries.Length;
            }

            for (var i = from; i < group.Entries.Length; i++)
            {
                cancelled++;
                ReleasePending(group.Entries[i]);
            }
        }

        var next = 0;
        var batch = new List<Group>();
        while (TakeBatch(batch, () => next < waitingCount && !_disposed ? waiting[next++] : -1))
        {
            foreach (var group in batch)
            {
                foreach (var entry in group.Entries)
                {
                    cancelled++;
                    ReleasePending(entry);
                }
            }

            batch.Clear();
        }

        previous.Cancel();
        previous.Dispose();
        if (cancelled > 0)
        {
            WebhookLog.PendingCancelled(_logger, cancelled);
        }

        return cancelled;
    }

    private long NowTicks() => _time.GetElapsedTime(_origin).Ticks;

    private void DispatchCore(WebhookTrigger trigger, string endpoint, DateTimeOffset receivedAt, IReadOnlyList<WebhookEntry> entries)
    {
        if (entries is null || entries.Count == 0)
        {
            return;
        }

        entries = PrepareEntries(entries); // W-21, W-22: delivery ids and random delays
        var scheduledAt = _time.GetUtcNow();
        if (trigger.Depth >= MaxDepth)
        {
            var depth = trigger.Depth == int.MaxValue ? int.MaxValue : trigger.Depth + 1;
            foreach (var entry in entries)
            {
                if (entry is null)
                {
                    continue;
                }

                var dueAt = AddSaturating(receivedAt, entry.SleepTime);
                WebhookLog.SkippedDepth(_logger, endpoint, entry.Index, entry.Method, entry.Url, depth, MaxDepth);
                _metrics.Skipped(endpoint, "depth");
                Interlocked.Increment(ref _skippedCount);
                _journal.Add(NewRecord(endpoint, entry, entry.Url, depth, scheduledAt, dueAt, WebhookOutcome.Skipped,
                    error: $"depth {depth} would exceed the limit of {MaxDepth}"));
            }

            return;
        }

        // Group the entries by sleep-time, in order of first appearance, keeping declaration order inside a group (W-18).
        // A group that is not due yet goes to the compact store (WebhookDispatcher.Store.cs) as a chain of slots.
        var elapsed = scheduledAt - receivedAt;
        if (elapsed < TimeSpan.Zero)
        {
            elapsed = TimeSpan.Zero;
        }

        var requestDepth = trigger.Depth + 1;
        List<Group>? startNow = null;
        List<(Group Group, WebhookEntry Entry, WebhookOutcome Outcome)>? rejected = null;
        List<(WebhookEntry Entry, DateTimeOffset DueAt)>? scheduledLog = _logger.IsEnabled(LogLevel.Debug) ? [] : null;
        var admittedCount = 0;

        lock (_lock)
        {
            var now = NowTicks();
            for (var first = 0; first < entries.Count; first++)
            {
                if (entries[first] is not { } leader || !IsFirstOfItsSleepTime(entries, first))
                {
                    continue;
                }

                var sleep = leader.SleepTime;
                var clamped = sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep;
                var remaining = clamped - elapsed;
                var due = remaining <= TimeSpan.Zero ? now : AddSaturating(now, remaining.Ticks);
                var dueAt = AddSaturating(receivedAt, clamped);
                var dueNow = due <= now;
                List<WebhookEntry>? runNow = null;
                int head = -1, tail = -1, members = 0;
                Group? probe = null;
                for (var i = first; i < entries.Count; i++)
                {
                    if (entries[i] is not { } entry || entry.SleepTime != sleep)
                    {
                        continue;
                    }

                    var size = PendingSize(entry);
                    WebhookOutcome? refusal =
                        _state == State.Stopped || (_state == State.Stopping && due > _stopDeadline) ? WebhookOutcome.Abandoned
                        : Volatile.Read(ref _pending) >= _maxPending ? WebhookOutcome.Dropped
                        : Interlocked.Read(ref _pendingBytes) + size > _maxPendingBytes ? WebhookOutcome.Dropped
                        : null;
                    if (refusal is { } outcome)
                    {
                        probe ??= new Group(endpoint, trigger, requestDepth, scheduledAt, dueAt, due, []);
                        (rejected ??= []).Add((probe, entry, outcome));
                        continue;
                    }

                    Interlocked.Increment(ref _pending);
                    Interlocked.Add(ref _pendingBytes, size);
                    admittedCount++;
                    members++;
                    scheduledLog?.Add((entry, dueAt));
                    if (dueNow)
                    {
                        (runNow ??= []).Add(entry);
                        continue;
                    }

                    var slot = StoreLocked(ShapeForLocked(endpoint, entry), entry, trigger, requestDepth, scheduledAt, dueAt);
                    if (tail < 0)
                    {
                        head = slot;
                    }
                    else
                    {
                        _store[tail].Next = slot;
                    }

                    tail = slot;
                }

                if (runNow is not null)
                {
                    var group = new Group(endpoint, trigger, requestDepth, scheduledAt, dueAt, due, [.. runNow]);
                    _running.Add(group);
                    (startNow ??= []).Add(group);
                }
                else if (head >= 0)
                {
                    EnqueueLocked(head, due);
                    _waiting += members;
                    if (due < _armedAt)
                    {
                        ArmLocked(now);
                    }
                }
            }
        }

        if (admittedCount > 0)
        {
            Interlocked.Add(ref _scheduledCount, admittedCount);
            for (var i = 0; i < admittedCount; i++)
            {
                _metrics.Scheduled(endpoint);
            }
        }

        if (scheduledLog is not null)
        {
            foreach (var (entry, dueAt) in scheduledLog)
            {
                WebhookLog.Scheduled(_logger, endpoint, entry.Index, entry.Method, entry.Url, requestDepth, dueAt);
            }
        }

        if (rejected is not null)
        {
            foreach (var (group, entry, outcome) in rejected)
            {
                if (outcome == WebhookOutcome.Dropped)
                {
                    RecordDropped(group, entry);
                }
                else
                {
                    RecordAbandoned(group, entry, entry.Url, "the host is shutting down", wasPending: false);
                }
            }
        }

        if (startNow is not null)
        {
            foreach (var group in startNow)
            {
                Start(group);
            }
        }
    }

    /// <summary>Whether no earlier entry has the same sleep-time as entry <paramref name="index"/> (it leads its group).</summary>
    private static bool IsFirstOfItsSleepTime(IReadOnlyList<WebhookEntry> entries, int index)
    {
        var sleep = entries[index].SleepTime;
        for (var i = 0; i < index; i++)
        {
            if (entries[i] is { } earlier && earlier.SleepTime == sleep)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Arms the timer for the earliest due group (or disarms it). Caller holds <see cref="_lock"/>.
    /// </summary>
    /// <remarks>
    /// The timer is armed for the exact remaining time, in ticks, not rounded up to a whole millisecond: a timer that
    /// fires at its time sends at the due time itself. Should a timer fire a little before the due time,
    /// <see cref="OnTimer"/> finds nothing due and arms it again for what remains, so nothing is ever sent early (W-5).
    /// On the system clock the timer is a <see cref="SystemClockTimer"/>, which never fires early: the system's own
    /// timers count a coarse clock and, armed this way, would fire early again and again.
    /// </remarks>
    private void ArmLocked(long now)
    {
        if (_state == State.Stopped || !TryPeekLocked(out _, out var headDue))
        {
            if (_armedAt != long.MaxValue)
            {
                _armedAt = long.MaxValue;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            return;
        }

        var delay = Math.Clamp(headDue - now, 0, MaxArmTicks);
        _armedAt = now + delay;
        _timer.Change(TimeSpan.FromTicks(delay), Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The timer's callback: takes every group already due in one pass and starts sending them. The first is sent on
    /// this thread (no thread-pool hop between the timer and the request), the others on the thread pool, in parallel.
    /// </summary>
    private void OnTimer()
    {
        Group? first = null;
        List<Group>? others = null;
        var nested = Monitor.IsEntered(_lock); // a fake clock may fire from inside ArmLocked
        try
        {
            lock (_lock)
            {
                var now = NowTicks();
                while (_state != State.Stopped && TryPeekLocked(out _, out var due) && due <= now)
                {
                    var group = TakeGroupLocked(PopLocked());
                    _running.Add(group);
                    if (first is null)
                    {
                        first = group;
                    }
                    else
                    {
                        (others ??= []).Add(group);
                    }
                }

                _armedAt = long.MaxValue;
                ArmLocked(NowTicks());
            }
        }
        catch (Exception ex)
        {
            // Never let an exception escape a timer callback (it would end the process).
            WebhookLog.DispatchError(_logger, "(scheduler)", ex);
        }

        if (others is not null)
        {
            foreach (var group in others)
            {
                Start(group);
            }
        }

        if (first is not null)
        {
            if (nested || Activity.Current is not null)
            {
                Start(first); // not under the lock, nor inside someone else's activity
            }
            else
            {
                _ = RunGroupAsync(first);
            }
        }
    }

    /// <summary>Runs a due group on the thread pool, without the caller's execution context.</summary>
    private void Start(Group group) =>
        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Dispatcher.RunGroupAsync(state.Group), (Dispatcher: this, Group: group), preferLocal: false);

    private async Task RunGroupAsync(Group group)
    {
        try
        {
            while (true)
            {
                int index;
                lock (group)
                {
                    if (group.Closed || group.Next >= group.Entries.Length)
                    {
                        break;
                    }

                    index = group.Next;
                }

                var entry = group.Entries[index];
                SendResult result;
                using (var activity = MoclojerTracing.StartWebhook(group.Endpoint, entry.Method, entry.Index, entry.TraceContext))
                {
                    result = await SendAsync(group, entry, activity?.Context ?? entry.TraceContext).ConfigureAwait(false);
                    if (activity is not null)
                    {
                        TraceOutcome(activity, result);
                    }
                }
                lock (group)
                {
                    // Shutdown may have recorded this entry (and the rest) as abandoned meanwhile.
                    if (group.Closed || group.Next != index)
                    {
                        break;
                    }

                    group.Next = index + 1;
                }

                Complete(group, entry, result); // records the outcome, or schedules a retry (W-21)
            }
        }
        catch (Exception ex)
        {
            WebhookLog.DispatchError(_logger, group.Endpoint, ex);
            AbandonRest(group, "the dispatcher failed unexpectedly");
        }
        finally
        {
            lock (_lock)
            {
                _running.Remove(group);
            }
        }
    }

    private static DateTimeOffset AddSaturating(DateTimeOffset time, TimeSpan span) =>
        span <= TimeSpan.Zero ? time
        : DateTimeOffset.MaxValue - time < span ? DateTimeOffset.MaxValue
        : time + span;

    private static long AddSaturating(long ticks, long add) => long.MaxValue - ticks < add ? long.MaxValue : ticks + add;

    private static string FormatSeconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The entries of one request with one sleep-time, sent one after another (W-18).</summary>
    private sealed class Group(string endpoint, WebhookTrigger trigger, int depth, DateTimeOffset scheduledAt, DateTimeOffset dueAt, long dueTicks, WebhookEntry[] entries)
    {
        public string Endpoint { get; } = endpoint;

        public WebhookTrigger Trigger { get; } = trigger;

        public int Depth { get; } = depth;

        public DateTimeOffset ScheduledAt { get; } = scheduledAt;

        public DateTimeOffset DueAt { get; } = dueAt;

        public long DueTicks { get; } = dueTicks;

        public WebhookEntry[] Entries { get; } = entries;

        /// <summary>The next entry without an outcome. Guarded by <c>lock (this)</c>.</summary>
        public int Next { get; set; }

        /// <summary>Set by shutdown once it has recorded the remaining entries. Guarded by <c>lock (this)</c>.</summary>
        public bool Closed { get; set; }
    }
}

/// <summary>Counts of a <see cref="WebhookDispatcher"/> since it started.</summary>
/// <param name="Pending">Webhooks awaiting an outcome.</param>
/// <param name="Waiting">Of those, the ones whose group has not fallen due yet.</param>
/// <param name="Scheduled">Webhooks accepted.</param>
/// <param name="Sent">Webhooks that got a response.</param>
/// <param name="Failed">Webhooks that failed.</param>
/// <param name="Skipped">Webhooks skipped by the depth limit or a false condition recorded with its values.</param>
/// <param name="Dropped">Webhooks dropped by the pending cap.</param>
/// <param name="Abandoned">Webhooks not sent because of shutdown.</param>
public readonly record struct WebhookDispatcherStatistics(
    int Pending, int Waiting, long Scheduled, long Sent, long Failed, long Skipped, long Dropped, long Abandoned);
