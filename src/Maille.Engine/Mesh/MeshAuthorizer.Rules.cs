using System.Net;
using Maille.Model;

namespace Maille.Engine.Mesh;

/// <summary>
/// How one AuthorizationPolicy rule matches a connection at the node proxy (layer 4): one of its sources (or none
/// written) and one of its operations (or none written). In a source every field written must match; principals and
/// namespaces come from the peer's mTLS identity, so plaintext matches no <c>principals</c>/<c>namespaces</c> and every
/// <c>notPrincipals</c>/<c>notNamespaces</c>. An operation's ports are the destination port; its HTTP attributes are
/// not seen here (the callers decide what a rule that names them means).
/// </summary>
public sealed partial class MeshAuthorizer
{
    /// <summary>The peer as the destination's node proxy knows it: principal and namespace from mTLS (null for plaintext), and the source address.</summary>
    private sealed record Peer(string? Principal, string? Namespace, IPAddress? Address);

    private static bool Matches(AuthorizationRule rule, Peer peer, int port) =>
        (rule.From.IsEmpty || rule.From.Any(s => Matches(s, peer)))
        && (rule.To.IsEmpty || rule.To.Any(o => Matches(o, port)));

    private static bool Matches(AuthorizationSource source, Peer peer) =>
        Positive(source.Principals, peer.Principal, principal: true)
        && Negative(source.NotPrincipals, peer.Principal, principal: true)
        && Positive(source.Namespaces, peer.Namespace, principal: false)
        && Negative(source.NotNamespaces, peer.Namespace, principal: false)
        && (source.IpBlocks.IsEmpty || (peer.Address is { } address && source.IpBlocks.Any(b => Contains(b, address))))
        && (source.NotIpBlocks.IsEmpty || peer.Address is not { } other || !source.NotIpBlocks.Any(b => Contains(b, other)));

    private static bool Matches(AuthorizationOperation operation, int port) =>
        (operation.Ports.IsEmpty || operation.Ports.Contains(port)) && !operation.NotPorts.Contains(port);

    private static bool Positive(EquatableArray<string> patterns, string? value, bool principal) =>
        patterns.IsEmpty || (value is not null && patterns.Any(p => StringMatches(p, value, principal)));

    private static bool Negative(EquatableArray<string> patterns, string? value, bool principal) =>
        patterns.IsEmpty || value is null || !patterns.Any(p => StringMatches(p, value, principal));

    /// <summary>Istio's string match: <c>*</c> any value, <c>*suffix</c>, <c>prefix*</c>, or exact. A principal may be written with <c>spiffe://</c>.</summary>
    internal static bool StringMatches(string pattern, string value, bool principal)
    {
        if (principal && pattern.StartsWith("spiffe://", StringComparison.Ordinal))
        {
            pattern = pattern["spiffe://".Length..];
        }

        return pattern switch
        {
            "*" => value.Length > 0,
            _ when pattern.StartsWith('*') => value.EndsWith(pattern[1..], StringComparison.Ordinal),
            _ when pattern.EndsWith('*') => value.StartsWith(pattern[..^1], StringComparison.Ordinal),
            _ => pattern == value,
        };
    }

    /// <summary>An ipBlocks entry: a CIDR, or one address.</summary>
    private static bool Contains(string block, IPAddress address)
    {
        if (block.Contains('/', StringComparison.Ordinal))
        {
            return IpBlock.TryParse(block) is { } network && network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address);
        }

        return IPAddress.TryParse(block, out var single) && single.Equals(address);
    }
}
