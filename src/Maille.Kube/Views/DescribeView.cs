using Maille.Engine;
using Maille.Kube.Tables;

namespace Maille.Kube.Views;

/// <summary><c>maille describe netpol|pod</c> over a planned cluster: kubectl's description of each object, in namespace order.</summary>
public static class DescribeView
{
    /// <summary><c>maille describe pod</c>: each pod's networking and place in the mesh.</summary>
    /// <param name="certificateOf">A running lab's mesh certificates by pod (<c>namespace/name</c>); null offline.</param>
    public static int WritePods(ClusterState cluster, string? name, string ns, bool allNamespaces, Func<string, MeshCertificateFacts?>? certificateOf, TimeProvider clock, TextWriter stdout, TextWriter stderr)
    {
        var all = allNamespaces && name is null;
        var pods = cluster.Pods
            .Where(p => (all || p.Namespace == ns) && (name is null || p.Name == name))
            .OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        if (pods.Count == 0)
        {
            return NotFound(ResourceKind.Pods, name, ns, all, stderr);
        }

        var mesh = Engine.Mesh.MeshAuthorizer.For(cluster);
        for (var i = 0; i < pods.Count; i++)
        {
            if (i > 0)
            {
                stdout.WriteLine();
            }

            PodDescription.Write(stdout, pods[i], cluster, mesh, certificateOf, clock.GetUtcNow());
        }

        return 0;
    }

    /// <param name="counters">A running lab's rule counters, asked for only when there is a policy to describe.</param>
    public static int Write(ClusterState cluster, string? name, string ns, bool allNamespaces, Func<RuleCounters?>? counters, TextWriter stdout, TextWriter stderr)
    {
        var all = allNamespaces && name is null;
        var policies = cluster.NetworkPolicies
            .Where(p => (all || p.Namespace == ns) && (name is null || p.Meta.Name == name))
            .OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Meta.Name, StringComparer.Ordinal)
            .ToList();
        if (policies.Count == 0)
        {
            return NotFound(ResourceKind.NetworkPolicies, name, ns, all, stderr);
        }

        var counted = counters?.Invoke();
        for (var i = 0; i < policies.Count; i++)
        {
            if (i > 0)
            {
                stdout.WriteLine();
            }

            NetworkPolicyDescription.Write(stdout, policies[i], counted);
        }

        return 0;
    }

    private static int NotFound(ResourceKind kind, string? name, string ns, bool all, TextWriter stderr)
    {
        if (name is not null)
        {
            stderr.WriteLine($"Error from server (NotFound): {ResourceKinds.Plural(kind)} \"{name}\" not found");
            return 1;
        }

        stderr.WriteLine(all ? "No resources found" : $"No resources found in {ns} namespace.");
        return 0;
    }
}
