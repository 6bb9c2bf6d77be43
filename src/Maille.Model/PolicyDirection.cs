namespace Maille.Model;

/// <summary>A NetworkPolicy direction, as written in <c>policyTypes</c>.</summary>
[Flags]
public enum PolicyDirection
{
    None = 0,
    Ingress = 1,
    Egress = 2,
}
