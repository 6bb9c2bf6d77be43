namespace Maille.Model;

/// <summary>A node as the cluster configuration declares it.</summary>
public sealed record NodeConfig
{
    public required string Name { get; init; }

    public Labels Labels { get; init; } = Labels.Empty;

    public System.Net.IPNetwork? PodCidr { get; init; }

    public System.Net.IPAddress? Address { get; init; }
}
