using System.Diagnostics;
using System.Text.Json;

namespace Moclojer.Generators.EndToEnd.Infrastructure;

/// <summary>What the step runner needs of a service: where it listens, whether it died, what it printed.</summary>
public interface IServiceUnderTest
{
    int Port { get; }

    bool HasExited { get; }

    string Log { get; }
}

/// <summary>
/// Runs the steps of one case against a running service (conformance README 1.2-1.4): sends each request
/// verbatim, checks the response, and checks the webhook calls the receiver saw in the observation window.
/// Every step runs even after a failure, so one report shows all that differs; the case passes when the
/// returned list is empty.
/// </summary>
public sealed class StepRunner(IServiceUnderTest service, WebhookReceiver? receiver, Action<string> log)
{
    public async Task<IReadOnlyList<string>> RunAsync(CaseDefinition definition)
    {
        var failures = new List<string>();
        receiver?.Drain(); // README 1.1: drain when each case starts
        foreach (var step in definition.Steps)
        {
            var problems = await RunStepAsync(step);
            if (problems.Count == 0)
            {
                log($"  ok   {step.Label}");
                continue;
            }

            var text = $"{step.Label}:\n    " + string.Join("\n    ", problems);
            log($"  FAIL {text}");
            failures.Add(text);
            if (service.HasExited)
            {
                failures.Add($"the service exited (code unknown) during {step.Label}; remaining steps not run. Output:\n" +
                             ServiceProcess.Tail(service.Log));
                break;
            }
        }

        return failures;
    }

    private async Task<List<string>> RunStepAsync(Step step)
    {
        var problems = new List<string>();
        if (step.ChecksWebhooks && receiver is null)
        {
            problems.Add("the step checks webhooks but the webhook receiver is not running");
            return problems;
        }

        if (step.DelayMs > 0)
        {
            await Task.Delay(step.DelayMs);
        }

        receiver?.Drain(); // only calls caused by this step count
        var t0 = Stopwatch.GetTimestamp();
        for (var i = 1; i <= step.Repeat; i++)
        {
            var prefix = step.Repeat > 1 ? $"request {i} of {step.Repeat}: " : "";
            var requestT0 = i == 1 ? t0 : Stopwatch.GetTimestamp();
            RawResponse response;
            try
            {
                var headers = step.Request.Headers.ToList();
                if (step.Request.AddJsonContentType)
                {
                    headers.Add(new("Content-Type", "application/json"));
                }

                response = await RawHttpClient.SendAsync(service.Port, step.Request.Method, step.Request.Target, headers, step.Request.Body);
            }
            catch (Exception ex) when (ex is IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                problems.Add($"{prefix}request failed: {ex.Message}");
                continue;
            }

            var latency = Stopwatch.GetElapsedTime(requestT0, response.EndTimestamp).TotalMilliseconds;
            var responseProblems = ResponseChecker.Check(step.Expect, response, latency);
            if (responseProblems.Count > 0)
            {
                problems.AddRange(responseProblems.Select(p => prefix + p));
                problems.Add($"{prefix}response was: {response.Describe().Replace("\n", "\n      ", StringComparison.Ordinal)}");
            }
        }

        if (step.ChecksWebhooks)
        {
            var observeUntil = TimeSpan.FromMilliseconds(step.EffectiveObserveMs);
            var remaining = observeUntil - Stopwatch.GetElapsedTime(t0);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining);
            }

            var calls = receiver!.Drain();
            problems.AddRange(step.NoWebhook
                ? calls.Select(c => $"expected no webhook, got {c.Describe(t0)}")
                : WebhookChecker.Check(step.Webhooks ?? [], calls, t0));
        }

        return problems;
    }
}

/// <summary>expect checks of README 1.2 against one response.</summary>
public static class ResponseChecker
{
    public static List<string> Check(ResponseExpectation expect, RawResponse response, double latencyMs)
    {
        var problems = new List<string>();
        if (response.Status != expect.Status)
        {
            problems.Add($"status: expected {expect.Status}, got {response.Status}");
        }

        foreach (var (name, value) in expect.Headers)
        {
            var actual = response.Header(name);
            if (actual is null)
            {
                problems.Add($"header {name}: missing");
            }
            else if (JsonMatcher.CompareHeaderValue(value, actual) is { } diff)
            {
                problems.Add($"header {name}: {diff}");
            }
        }

        foreach (var name in expect.HeadersAbsent)
        {
            if (response.Header(name) is { } present)
            {
                problems.Add($"header {name}: must be absent, got '{present}'");
            }
        }

        problems.AddRange(BodyChecker.Check("body", expect.Json, expect.JsonSubset, expect.Text, response.Body));

        if (expect.MaxLatencyMs is { } max && latencyMs > max)
        {
            problems.Add($"latency: the response took {latencyMs:0} ms, more than max_latency_ms {max}");
        }

        return problems;
    }
}

/// <summary>json / json_subset / text checks shared by responses and webhook calls.</summary>
public static class BodyChecker
{
    public static IEnumerable<string> Check(string what, JsonElement? json, JsonElement? subset, string? text, byte[] body)
    {
        if (text != null)
        {
            var actual = System.Text.Encoding.UTF8.GetString(body);
            if (!string.Equals(actual, text, StringComparison.Ordinal))
            {
                yield return $"{what}: expected text {JsonSerializer.Serialize(text)}, got {JsonSerializer.Serialize(RawHttpClient.Shorten(actual))}";
            }

            yield break;
        }

        var expected = json ?? subset;
        if (expected is null)
        {
            yield break;
        }

        JsonDocument doc;
        string? parseError = null;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            doc = null!;
            parseError = ex.Message;
        }

        if (parseError != null)
        {
            var raw = System.Text.Encoding.UTF8.GetString(body);
            yield return $"{what}: not JSON ({parseError}): {JsonSerializer.Serialize(RawHttpClient.Shorten(raw))}";
            yield break;
        }

        using (doc)
        {
            foreach (var diff in JsonMatcher.Compare(expected.Value, doc.RootElement, subset: json is null))
            {
                yield return $"{what} {diff}";
            }
        }
    }
}

/// <summary>
/// The webhook matching of README 1.3: calls and entries pair up by (method, url_path) in arrival / list order;
/// each pair must pass its checks, no entry may go unmatched and no call may be left over.
/// </summary>
public static class WebhookChecker
{
    public static List<string> Check(IReadOnlyList<WebhookExpectation> expected, IReadOnlyList<ReceivedCall> calls, long t0)
    {
        var problems = new List<string>();
        var pool = calls.OrderBy(c => c.ArrivalTimestamp).ToList();
        var used = new bool[pool.Count];
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var idx = Enumerable.Range(0, pool.Count)
                .FirstOrDefault(j => !used[j] && pool[j].Method == e.Method && pool[j].RawTarget == e.UrlPath, -1);
            var label = $"webhook #{i + 1} ({e.Label})";
            if (idx < 0)
            {
                problems.Add($"{label}: not received");
                continue;
            }

            used[idx] = true;
            var call = pool[idx];
            var ms = call.MsAfter(t0);
            if (ms < e.AfterMsMin || ms > e.AfterMsMax)
            {
                problems.Add($"{label}: arrived at t0+{ms:0} ms, expected between {e.AfterMsMin} and {e.AfterMsMax} ms");
            }

            foreach (var (name, value) in e.Headers)
            {
                var actual = call.Header(name);
                if (actual is null)
                {
                    problems.Add($"{label}: header {name} missing");
                }
                else if (JsonMatcher.CompareHeaderValue(value, actual) is { } diff)
                {
                    problems.Add($"{label}: header {name}: {diff}");
                }
            }

            foreach (var name in e.HeadersAbsent)
            {
                if (call.Header(name) is { } present)
                {
                    problems.Add($"{label}: header {name} must be absent, got '{present}'");
                }
            }

            problems.AddRange(BodyChecker.Check($"{label}: body", e.Json, null, e.Text, call.Body));
        }

        for (var j = 0; j < pool.Count; j++)
        {
            if (!used[j])
            {
                problems.Add($"unexpected webhook call: {pool[j].Describe(t0)}");
            }
        }

        if (problems.Count > 0 && pool.Count > 0)
        {
            problems.Add("calls received: " + string.Join("; ", pool.Select(c => c.Describe(t0))));
        }

        return problems;
    }
}
