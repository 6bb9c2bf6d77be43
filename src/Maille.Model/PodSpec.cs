using System.Text;

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

    /// <summary>
    /// The members as the compiler would print them, with <see cref="ServiceAccountName"/> only when set: a Deployment's
    /// pod-template-hash hashes its template's text, so a field added later must not change the text (and the pod names)
    /// of templates that do not use it.
    /// </summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Containers = ").Append(Containers.ToString());
        builder.Append(", NodeName = ").Append((object?)NodeName);
        builder.Append(", NodeSelector = ").Append((object?)NodeSelector);
        builder.Append(", HostNetwork = ").Append(HostNetwork);
        builder.Append(", Hostname = ").Append((object?)Hostname);
        builder.Append(", Subdomain = ").Append((object?)Subdomain);
        if (ServiceAccountName is not null)
        {
            builder.Append(", ServiceAccountName = ").Append(ServiceAccountName);
        }

        builder.Append(", AllPorts = ").Append((object?)AllPorts);
        return true;
    }
}
