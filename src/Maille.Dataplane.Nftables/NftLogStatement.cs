namespace Maille.Dataplane.Nftables;

/// <summary>
/// <c>log prefix "PREFIX" group N</c>: hands a copy of the packet, with <paramref name="Prefix"/>, to the nfnetlink_log
/// group <paramref name="Group"/> of the namespace, where a listener reads it over netlink. It decides nothing: the rule
/// goes on to its next statement. With no listener bound to the group the kernel discards the copy.
/// </summary>
internal sealed record NftLogStatement(string Prefix, int Group) : NftStatement
{
    public override string Text => $"log prefix \"{Prefix}\" group {Group}";
}
