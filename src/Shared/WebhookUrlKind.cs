// Shared source: compiled into the runtime (public, Moclojer.Runtime.Webhooks: generated code names
// global::Moclojer.Runtime.Webhooks.WebhookUrlKind.<member>) and into the generator (internal,
// Moclojer.Generators.Shared: the kind the parser decides and the emitter writes).

#if MOCLOJER_RUNTIME
namespace Moclojer.Runtime.Webhooks;
#else
namespace Moclojer.Generators.Shared;
#endif

/// <summary>How the url of a webhook entry is to be read (spec W-3, W-14, W-15).</summary>
/// <remarks>Generated code names the members by their C# names: rename none without changing the emitter.</remarks>
#if MOCLOJER_RUNTIME
public
#else
internal
#endif
enum WebhookUrlKind
{
    /// <summary>An absolute <c>http</c>/<c>https</c> URL whose inserted values are already percent-encoded (W-3).</summary>
    Absolute,

    /// <summary>
    /// A path and query starting with a single <c>/</c>, sent to the local address, port and scheme that received the
    /// triggering request, with the trigger's <c>Host</c> header (W-14).
    /// </summary>
    Relative,

    /// <summary>
    /// A URL taken from the request as it is (W-15). It is checked when the webhook falls due: anything other than an
    /// absolute <c>http</c>/<c>https</c> URL with a host is not sent and is recorded as failed (W-19).
    /// </summary>
    Callback,
}
