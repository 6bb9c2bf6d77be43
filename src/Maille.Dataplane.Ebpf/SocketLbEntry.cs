namespace Maille.Dataplane.Ebpf;

/// <summary>
/// The head of a socket LB map value as <see cref="SocketLbWalker"/> reads it: the Service's id, its endpoint count,
/// its flags, the affinity's words for a trace line (empty without affinity), and the whole value for what follows
/// the head.
/// </summary>
internal sealed record SocketLbEntry(uint Id, ushort Count, byte Flags, string Affinity, byte[] Value)
{
    public void Deconstruct(out uint id, out ushort count, out byte flags, out string affinity) =>
        (id, count, flags, affinity) = (Id, Count, Flags, Affinity);
}
