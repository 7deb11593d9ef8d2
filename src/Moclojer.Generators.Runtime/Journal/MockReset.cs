using Microsoft.Extensions.DependencyInjection;
using Moclojer.Runtime.Webhooks;

namespace Moclojer.Runtime;

/// <summary>Returns a mock to its starting state between tests. A service in DI; the test host's <c>Reset()</c> calls it.</summary>
public interface IMockReset
{
    /// <summary>
    /// Cancels the pending webhooks (not sent, not journaled), then clears the request journal, the webhook journal
    /// and every rate-limit counter. Waiters already waiting keep waiting.
    /// </summary>
    void Reset();
}

internal sealed class MockReset(IServiceProvider services) : IMockReset
{
    public void Reset()
    {
        // Pending webhooks first, so none reaches the journal after it was cleared.
        services.GetService<WebhookDispatcher>()?.CancelPending();
        services.GetService<IRequestJournal>()?.Clear();
        services.GetService<IWebhookJournal>()?.Clear();
        services.GetService<MockRateLimiter>()?.Clear();
    }
}
