using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Moclojer.Runtime.Webhooks;

/// <summary>
/// Where a callback url (W-15: a url taken from the request) may connect. Always refused: link-local addresses
/// (169.254.0.0/16, fe80::/10, where cloud metadata services answer), the other known metadata addresses and the
/// known metadata host names. With <see cref="MoclojerWebhookOptions.DenyPrivateCallbackAddresses"/> also loopback,
/// private, shared (100.64.0.0/10), unique-local (fc00::/7) and unspecified addresses. The address is checked once
/// the name is resolved, right before connecting (<see cref="ConnectAsync"/>), so a name that resolves to a refused
/// address is refused too, and a refused attempt never opens a connection.
/// </summary>
internal static class CallbackAddressPolicy
{
    /// <summary>Marks a request whose connection must pass the policy; the value says whether private ranges are refused.</summary>
    public static readonly HttpRequestOptionsKey<bool> DenyPrivateKey = new("Moclojer.CallbackDenyPrivate");

    private static readonly HashSet<string> MetadataHostNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal",
        "metadata.azure.internal", "metadata.tencentyun.com", "metadata.platformequinix.com",
    };

    private static readonly IPAddress[] MetadataAddresses =
    [
        IPAddress.Parse("100.100.100.200"), // Alibaba Cloud
        IPAddress.Parse("fd00:ec2::254"),   // AWS over IPv6
    ];

    /// <summary>Why a host name is refused before it is resolved, or null.</summary>
    public static string? RefuseHostName(string host)
    {
        var name = host.TrimEnd('.');
        return MetadataHostNames.Contains(name) ? $"'{name}' is a cloud metadata host name" : null;
    }

    /// <summary>Why an address is refused, or null when it may be reached.</summary>
    public static string? RefuseAddress(IPAddress address, bool denyPrivate)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var metadata in MetadataAddresses)
        {
            if (metadata.Equals(address))
            {
                return $"{address} is a cloud metadata address";
            }
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            if (b[0] == 169 && b[1] == 254)
            {
                return $"{address} is a link-local address (169.254.0.0/16)";
            }

            if (!denyPrivate)
            {
                return null;
            }

            return b[0] == 127 ? $"{address} is a loopback address"
                : b[0] == 0 ? $"{address} is an unspecified address (0.0.0.0/8)"
                : b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) ? $"{address} is a private address"
                : b[0] == 100 && (b[1] & 0xC0) == 64 ? $"{address} is a shared address (100.64.0.0/10)"
                : null;
        }

        if (address.IsIPv6LinkLocal)
        {
            return $"{address} is a link-local address (fe80::/10)";
        }

        if (!denyPrivate)
        {
            return null;
        }

        return IPAddress.IPv6Loopback.Equals(address) ? $"{address} is a loopback address"
            : IPAddress.IPv6Any.Equals(address) ? $"{address} is an unspecified address"
            : address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal ? $"{address} is a private address"
            : null;
    }

    /// <summary>
    /// The webhook client's <see cref="SocketsHttpHandler.ConnectCallback"/>: requests marked with
    /// <see cref="DenyPrivateKey"/> connect only to addresses the policy allows, other requests connect as usual.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        if (!context.InitialRequestMessage.Options.TryGetValue(DenyPrivateKey, out var denyPrivate))
        {
            var any = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await any.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(any, ownsSocket: true);
            }
            catch
            {
                any.Dispose();
                throw;
            }
        }

        if (RefuseHostName(endpoint.Host) is { } nameRefusal)
        {
            throw new CallbackRefusedException(nameRefusal);
        }

        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        string? refusal = null;
        Exception? lastError = null;
        foreach (var address in addresses)
        {
            if (RefuseAddress(address, denyPrivate) is { } reason)
            {
                refusal ??= endpoint.Host == address.ToString() ? reason : $"'{endpoint.Host}' resolves to {reason}";
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        if (lastError is not null)
        {
            throw lastError;
        }

        throw new CallbackRefusedException(refusal ?? $"'{endpoint.Host}' has no address");
    }
}

/// <summary>A callback url's connection refused by <see cref="CallbackAddressPolicy"/> before any connection was made.</summary>
internal sealed class CallbackRefusedException(string reason) : IOException(reason);
