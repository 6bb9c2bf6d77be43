namespace Maille.Model;

/// <summary>A node. <see cref="PodCidr"/> and <see cref="InternalIP"/> are filled by allocation when the input leaves them out.</summary>
public sealed record Node
{
    public required ObjectMeta Meta { get; init; }

    public System.Net.IPNetwork? PodCidr { get; init; }

    public System.Net.IPAddress? InternalIP { get; init; }

    public bool Unschedulable { get; init; }

    public string Name => Meta.Name;
}
