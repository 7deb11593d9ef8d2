using System.Collections.Concurrent;
using System.Net;

namespace ShopApi.Tests;

/// <summary>A webhook receiver in memory: records each request and answers 200.</summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<(string Url, string Body)> _requests = new();

    public IReadOnlyList<(string Url, string Body)> Requests => _requests.ToArray();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        _requests.Enqueue((request.RequestUri!.ToString(), body));
        return new HttpResponseMessage(HttpStatusCode.OK);
    }
}
