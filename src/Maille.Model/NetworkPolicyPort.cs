namespace Maille.Model;

/// <summary>One entry of a rule's <c>ports</c>: protocol (default TCP), a number or name (absent = all ports), and an inclusive <c>endPort</c>.</summary>
public sealed record NetworkPolicyPort(Protocol Protocol, PortRef? Port, int? EndPort)
{
    public override string ToString()
    {
        if (Port is null)
        {
            return $"all {Protocol}";
        }

        return EndPort is { } end ? $"{Port}-{end}/{Protocol}" : $"{Port}/{Protocol}";
    }
}
