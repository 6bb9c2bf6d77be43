namespace Maille.Model;

/// <summary>The parts of a pod spec that matter to the network.</summary>
public sealed record PodSpec
{
    public EquatableArray<Container> Containers { get; init; } = EquatableArray<Container>.Empty;

    public string? NodeName { get; init; }

    public Labels NodeSelector { get; init; } = Labels.Empty;

    public bool HostNetwork { get; init; }

    public string? Hostname { get; init; }

    public string? Subdomain { get; init; }

    /// <summary><c>serviceAccountName</c> as written; null when absent (the pod then runs as <c>default</c>).</summary>
    public string? ServiceAccountName { get; init; }

    public IEnumerable<ContainerPort> AllPorts => Containers.SelectMany(c => c.Ports);

    /// <summary>Resolves a named port the way the kubelet does: the first container port with that name (and protocol).</summary>
    public ContainerPort? FindPort(string name, Protocol? protocol = null) =>
        AllPorts.FirstOrDefault(p => p.Name == name && (protocol is null || p.Protocol == protocol));
}
