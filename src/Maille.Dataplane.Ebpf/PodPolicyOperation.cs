namespace Maille.Dataplane.Ebpf;

/// <summary>One map write of the pod policy maps: <see cref="Value"/> null deletes <see cref="Key"/>. Keys and values are the C structs' bytes.</summary>
public sealed record PodPolicyOperation(PodPolicyMap Map, byte[] Key, byte[]? Value)
{
    public bool IsDelete => Value is null;

    public override string ToString() =>
        $"{(IsDelete ? "delete" : "update")} {Map} {Convert.ToHexStringLower(Key)}{(Value is null ? "" : " = " + Convert.ToHexStringLower(Value))}";
}
