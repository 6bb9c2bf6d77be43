namespace Maille.Dataplane.Ebpf;

/// <summary>One map entry as the C struct's bytes.</summary>
public sealed record PodPolicyEntry(byte[] Key, byte[] Value)
{
    public bool SameValue(PodPolicyEntry other) => Value.AsSpan().SequenceEqual(other.Value);
}
