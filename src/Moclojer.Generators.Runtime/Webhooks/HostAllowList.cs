using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Moclojer.Runtime.Webhooks;

/// <summary>The parsed form of <see cref="MoclojerWebhookOptions.AllowedHosts"/>.</summary>
internal sealed class HostAllowList
{
    private readonly Entry[] _entries;

    public HostAllowList(IEnumerable<string> entries)
    {
        var parsed = new List<Entry>();
        foreach (var text in entries)
        {
            if (TryParseEntry(text, out var entry))
            {
                parsed.Add(entry);
            }
        }

        _entries = [.. parsed];
    }

    /// <summary>True when the list is empty, so every host is allowed.</summary>
    public bool AllowsAll => _entries.Length == 0;

    /// <summary>Whether <paramref name="uri"/>'s host and port are allowed.</summary>
    public bool IsAllowed(Uri uri)
    {
        if (_entries.Length == 0)
        {
            return true;
        }

        var host = NormalizeHost(uri.IdnHost);
        foreach (var entry in _entries)
        {
            if (entry.Port is { } port && port != uri.Port)
            {
                continue;
            }

            if (entry.Host == "*")
            {
                return true;
            }

            if (entry.Host.StartsWith("*.", StringComparison.Ordinal))
            {
                // "*.example.com" matches "a.example.com" and "a.b.example.com", not "example.com".
                if (host.Length > entry.Host.Length - 1 && host.AsSpan().EndsWith(entry.Host.AsSpan(1), StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                continue;
            }

            if (string.Equals(entry.Host, host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses <c>host</c>, <c>host:port</c>, <c>[v6]</c>, <c>[v6]:port</c>, a bare IPv6 address, <c>*.domain</c> or <c>*</c>.
    /// </summary>
    public static bool TryParseEntry(string? text, out Entry entry)
    {
        entry = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        string host;
        int? port = null;
        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':' || !TryParsePort(rest[1..], out var p))
                {
                    return false;
                }

                port = p;
            }

            if (!IPAddress.TryParse(host, out _))
            {
                return false;
            }
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0 && text.IndexOf(':', colon + 1) < 0)
            {
                host = text[..colon];
                if (!TryParsePort(text[(colon + 1)..], out var p))
                {
                    return false;
                }

                port = p;
            }
            else if (colon >= 0)
            {
                host = text; // a bare IPv6 address
                if (!IPAddress.TryParse(host, out _))
                {
                    return false;
                }
            }
            else
            {
                host = text;
            }
        }

        host = NormalizeHost(host);
        if (host.Length == 0 || (host.Contains('*', StringComparison.Ordinal) && host != "*" && !(host.StartsWith("*.", StringComparison.Ordinal) && host.LastIndexOf('*') == 0 && host.Length > 2)))
        {
            return false;
        }

        if (host != "*" && !host.StartsWith("*.", StringComparison.Ordinal) && !IPAddress.TryParse(host, out _)
            && Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            return false;
        }

        entry = new Entry(host, port);
        return true;
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;

    /// <summary>Lower case, without IPv6 brackets, a zone id or a trailing dot.</summary>
    private static string NormalizeHost(string host)
    {
        if (host.Length > 1 && host[0] == '[' && host[^1] == ']')
        {
            host = host[1..^1];
        }

        var zone = host.IndexOf('%', StringComparison.Ordinal);
        if (zone >= 0)
        {
            host = host[..zone];
        }

        if (host.Length > 1 && host[^1] == '.')
        {
            host = host[..^1];
        }

        if (IPAddress.TryParse(host, out var address))
        {
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            return address.ToString();
        }

        return host.ToLowerInvariant();
    }

    internal readonly record struct Entry(string Host, int? Port);
}
