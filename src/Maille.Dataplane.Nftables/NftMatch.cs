namespace Maille.Dataplane.Nftables;

/// <summary>One condition of a rule. Rendered by <see cref="Text"/>, evaluated by <see cref="NftPacketTracer"/>.</summary>
public abstract record NftMatch
{
    public abstract string Text { get; }
}
