using System.Net;

namespace Maille.Dataplane.Nftables;

/// <summary>One possible translation: the endpoint, and whether postrouting masquerades the source on the way there.</summary>
public sealed record NftTraceTarget(IPAddress Address, int Port, bool Masqueraded)
{
    public override string ToString() => $"{Address}:{Port}{(Masqueraded ? " masquerade" : "")}";
}
