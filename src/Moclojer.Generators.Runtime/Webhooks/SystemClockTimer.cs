using System;
using System.Diagnostics;
using System.Threading;

namespace Moclojer.Runtime.Webhooks;

/// <summary>
/// The webhook scheduler's timer when the clock is <see cref="TimeProvider.System"/>: a background thread of its own
/// (started at the first arming) that waits on a monitor for the remaining time, rounded up to whole milliseconds, and
/// then runs the callback. One thread per dispatcher, however many webhooks wait.
/// </summary>
/// <remarks>
/// <see cref="TimeProvider.System"/>'s timers count a coarse clock (4 ms ticks on this kind of Linux host): one armed
/// for the exact remaining time fires up to a tick early, finds nothing due and must be armed again, and under a
/// millisecond it is armed for zero, which kept a core busy at 1,000 webhooks a second; one armed with the time rounded
/// up sends half a tick late on average. A monitor wait is timed by the precise clock: measured with 3,000 due times
/// 1 ms apart, never early, lateness p50 0.6 ms and p99 2-3.6 ms, no more CPU than a <c>Task.Delay</c> per webhook
/// (which sends up to a tick early). Only a one-shot timer is supported (the period must be infinite).
/// </remarks>
internal sealed class SystemClockTimer : ITimer
{
    private readonly Action _callback;
    private readonly string _threadName;
    private readonly object _gate = new();
    private long _due = long.MaxValue; // a Stopwatch timestamp; MaxValue: not armed
    private bool _started;
    private bool _disposed;

    public SystemClockTimer(Action callback, string threadName)
    {
        _callback = callback;
        _threadName = threadName;
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), "only a one-shot timer is supported");
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            _due = dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue
                : Stopwatch.GetTimestamp() + (long)(Math.Max(0, dueTime.Ticks) * (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond);
            if (!_started && _due != long.MaxValue)
            {
                _started = true;
                // UnsafeStart: the thread must not carry the context of whichever request armed it first.
                new Thread(Run) { IsBackground = true, Name = _threadName }.UnsafeStart();
            }

            Monitor.Pulse(_gate);
        }

        return true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.Pulse(_gate);
        }
    }

    public System.Threading.Tasks.ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    private void Run()
    {
        while (true)
        {
            lock (_gate)
            {
                while (true)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    var now = Stopwatch.GetTimestamp();
                    if (_due <= now)
                    {
                        _due = long.MaxValue;
                        break;
                    }

                    if (_due == long.MaxValue)
                    {
                        Monitor.Wait(_gate);
                    }
                    else
                    {
                        // Whole milliseconds, rounded up: a wait never ends before the due time it was given.
                        var milliseconds = Math.Ceiling((_due - now) * 1000.0 / Stopwatch.Frequency);
                        Monitor.Wait(_gate, (int)Math.Min(milliseconds, int.MaxValue - 1));
                    }
                }
            }

            // Outside the gate: the callback arms the timer again (under the dispatcher's lock, which Change never waits for).
            _callback();
        }
    }
}
