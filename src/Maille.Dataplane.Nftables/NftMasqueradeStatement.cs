namespace Maille.Dataplane.Nftables;

/// <summary><c>masquerade fully-random</c>: the source becomes the outgoing interface's address, with a random port.</summary>
internal sealed record NftMasqueradeStatement : NftStatement
{
    public override string Text => "masquerade fully-random";
}
