namespace Maille.Dataplane.Ebpf;

/// <summary>A block of ports as an LPM trie holds it: the first port and how many of its 16 bits are fixed.</summary>
public readonly record struct PortPrefix(ushort Port, int Length);
