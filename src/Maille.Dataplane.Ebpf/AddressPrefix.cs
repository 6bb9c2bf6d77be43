namespace Maille.Dataplane.Ebpf;

/// <summary>An IPv4 CIDR prefix as an LPM trie holds it: the network's first address (as a number) and its length.</summary>
public readonly record struct AddressPrefix(uint Address, int Length);
