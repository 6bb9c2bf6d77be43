using System.Globalization;
using System.Net;

namespace Maille.Dataplane.Nftables;

/// <summary><c>dnat to 198.19.1.10:8080</c>.</summary>
internal sealed record NftDnatStatement(IPAddress Address, int Port) : NftStatement
{
    public override string Text => string.Create(CultureInfo.InvariantCulture, $"dnat to {Address}:{Port}");
}
