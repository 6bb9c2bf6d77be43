namespace Maille.Dataplane.Linux.Lab;

/// <summary>How long each phase of <see cref="LabNetworkBuilder.Build(LabNetworkPlan)"/> took, for benchmarks and <c>--verbose</c> output.</summary>
public sealed record LabBuildTimings(TimeSpan Namespaces, TimeSpan Underlay, TimeSpan Nodes, TimeSpan Pods)
{
    public TimeSpan Total => Namespaces + Underlay + Nodes + Pods;

    public override string ToString() =>
        $"namespaces {Namespaces.TotalMilliseconds:F0} ms, underlay {Underlay.TotalMilliseconds:F0} ms, "
        + $"nodes and pod veths {Nodes.TotalMilliseconds:F0} ms, pods {Pods.TotalMilliseconds:F0} ms";
}
