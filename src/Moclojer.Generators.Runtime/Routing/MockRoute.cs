using Microsoft.AspNetCore.Http;

namespace Moclojer.Runtime;

/// <summary>Handles a request whose route matched (the generated code of one endpoint).</summary>
public delegate Task MockHandler(MockRequest request);

/// <summary>
/// One endpoint of the compiled mock files. <see cref="Segments"/> holds the literal text of each path segment,
/// or null where the segment is a parameter (P-1). The path "/" has no segments.
/// </summary>
public sealed class MockRoute
{
    public MockRoute(string method, string? host, string?[] segments, MockHandler handler, string displayName)
    {
        Method = method;
        Host = host;
        Segments = segments;
        Handler = handler;
        DisplayName = displayName;
        // "POST /checkout/:orderId|int in mocks.yml" -> "POST /checkout/:orderId|int" (journals name endpoints without the file).
        var location = displayName.IndexOf(" in ", StringComparison.Ordinal);
        Endpoint = location > 0 ? displayName[..location] : displayName;
        foreach (var segment in segments)
        {
            if (segment is null)
            {
                ParameterCount++;
            }
        }
    }

    /// <summary>Upper-case HTTP method.</summary>
    public string Method { get; }

    /// <summary>Host name to match (H-2), or null for every host.</summary>
    public string? Host { get; }

    public string?[] Segments { get; }

    public int ParameterCount { get; }

    public MockHandler Handler { get; }

    /// <summary>For logs: the method, path as written in the mock file and its location.</summary>
    public string DisplayName { get; }

    /// <summary>The method and path as written in the mock file (<c>POST /checkout/:orderId|int</c>): how journals name the endpoint.</summary>
    public string Endpoint { get; }

    internal bool MatchesHost(string requestHost) =>
        Host is null || string.Equals(Host, requestHost, StringComparison.OrdinalIgnoreCase);

    internal bool MatchesPath(string[] requestSegments)
    {
        var segments = Segments;
        for (var i = 0; i < segments.Length; i++)
        {
            var literal = segments[i];
            if (literal is null)
            {
                // A parameter matches exactly one non-empty segment (P-8).
                if (requestSegments[i].Length == 0)
                {
                    return false;
                }
            }
            else if (!string.Equals(literal, requestSegments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
