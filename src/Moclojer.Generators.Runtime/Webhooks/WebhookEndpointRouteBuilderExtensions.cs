using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Moclojer.Runtime.Webhooks;

/// <summary>Maps the webhook journal's admin endpoint.</summary>
public static class WebhookEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET /__moclojer/webhooks</c> (<see cref="MoclojerWebhookOptions.JournalPath"/>), which answers the
    /// dispatcher's counts and the journal's records, oldest first, as JSON:
    /// <c>{"capacity":1000,"statistics":{"pending":0,…},"records":[{"sequence":1,"endpoint":"POST /orders","index":0,
    /// "method":"POST","url":"http://…","depth":1,"scheduledAt":"…","dueAt":"…","sentAt":"…","completedAt":"…",
    /// "outcome":"sent","statusCode":200,"durationMs":12.3}]}</c>.
    /// When <see cref="MoclojerWebhookOptions.JournalEnabled"/> is false nothing is mapped.
    /// </summary>
    public static IEndpointConventionBuilder MapMoclojerWebhookJournal(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<MoclojerWebhookOptions>>().Value;
        if (!options.JournalEnabled)
        {
            return DisabledEndpoint.Instance;
        }

        RequestDelegate handler = WriteJournalAsync;
        return endpoints.MapGet(options.JournalPath, handler).WithDisplayName("Moclojer webhook journal");
    }

    private static async Task WriteJournalAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var journal = services.GetRequiredService<IWebhookJournal>();
        var dispatcher = services.GetRequiredService<WebhookDispatcher>();
        var document = new WebhookJournalDocument(journal.Capacity, dispatcher.GetStatistics(), journal.Snapshot());
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(context.Response.Body, document, WebhookJsonContext.Default.WebhookJournalDocument, context.RequestAborted)
            .ConfigureAwait(false);
    }

    private sealed class DisabledEndpoint : IEndpointConventionBuilder
    {
        public static readonly DisabledEndpoint Instance = new();

        public void Add(Action<EndpointBuilder> convention)
        {
        }
    }
}

/// <summary>The JSON document of the journal endpoint.</summary>
internal sealed record WebhookJournalDocument(int Capacity, WebhookDispatcherStatistics Statistics, IReadOnlyList<WebhookRecord> Records);

/// <summary>Source-generated JSON metadata (no reflection: trim and AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(WebhookJournalDocument))]
[JsonSerializable(typeof(WebhookRecord))]
[JsonSerializable(typeof(IReadOnlyList<WebhookRecord>))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext
{
}
