// Shared source: the defaults of the format that both the generator (what a mock file means when a key is left out)
// and the runtime (what the sender falls back to) know. Internal in both; one copy.

#if MOCLOJER_RUNTIME
namespace Moclojer.Runtime;
#else
namespace Moclojer.Generators.Shared;
#endif

/// <summary>Defaults of keys that a mock file may leave out.</summary>
internal static class MockDefaults
{
    /// <summary>W-5: a webhook's <c>sleep-time</c>, in seconds.</summary>
    public const double WebhookSleepSeconds = 60;

    /// <summary>W-17: a webhook's <c>timeout</c>, in seconds.</summary>
    public const double WebhookTimeoutSeconds = 10;

    /// <summary>RL-7: a rate limit's <c>window-ms</c>.</summary>
    public const long RateLimitWindowMilliseconds = 900_000;

    /// <summary>RL-7: a rate limit's <c>max-requests</c>.</summary>
    public const int RateLimitMaxRequests = 100;

    /// <summary>S-10 / V-22: the largest response <c>delay</c>, in seconds (1 hour; no client waits longer).</summary>
    public const double MaxDelaySeconds = 3600;

    /// <summary>W-5 / V-22: the largest webhook <c>sleep-time</c>, in seconds (24 hours; a pending webhook is held in memory).</summary>
    public const double MaxSleepSeconds = 86400;

    /// <summary>W-17 / V-22: the largest webhook <c>timeout</c>, in seconds (1 hour).</summary>
    public const double MaxWebhookTimeoutSeconds = 3600;
}
