using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Moclojer.Runtime;

namespace Moclojer.Generators.Benchmarks;

/// <summary>The compiled bench/bench.mocks.yml and request contexts shaped like Kestrel's.</summary>
internal static class Fixtures
{
    public static readonly MockServiceDefinition Definition = Moclojer.Generated.MoclojerService.CreateDefinition();

    public static MockRoute Route(string displayNamePrefix) =>
        Definition.Router.Routes.First(r => r.DisplayName.StartsWith(displayNamePrefix, StringComparison.Ordinal));

    public static MockDispatcher Dispatcher() =>
        new(Definition, TimeProvider.System, NullLogger<MockDispatcher>.Instance);

    /// <summary>A GET context whose response body is <see cref="Stream.Null"/> (writes complete synchronously).</summary>
    public static DefaultHttpContext Get(string target)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = target;
        context.Request.Host = new HostString("127.0.0.1:8000");
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        context.Response.Body = Stream.Null;
        return context;
    }
}
