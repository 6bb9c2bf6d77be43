namespace Maille.Dataplane.Nftables;

/// <summary>What a rule does once its matches hold. Rendered by <see cref="Text"/>, followed by <see cref="NftPacketTracer"/>.</summary>
public abstract record NftStatement
{
    public abstract string Text { get; }
}
