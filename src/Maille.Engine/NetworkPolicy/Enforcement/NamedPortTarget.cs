using System.Globalization;
using System.Net;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>One destination pod's resolution of a named port: its address, the protocol and the number it declares.</summary>
public readonly record struct NamedPortTarget(IPAddress Address, Protocol Protocol, int Port)
{
    /// <summary>As an element of a concatenated nftables set: <c>198.19.1.2 . tcp . 80</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Address} . {Protocol.ToString().ToLowerInvariant()} . {Port}");
}
