using Maille.Engine;
using Maille.Kube.Tables;

namespace Maille.Kube.Views;

/// <summary><c>maille describe netpol</c> over a planned cluster: kubectl's description of each policy, in namespace order.</summary>
public static class DescribeView
{
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
            if (name is not null)
            {
                stderr.WriteLine($"Error from server (NotFound): {ResourceKinds.Plural(ResourceKind.NetworkPolicies)} \"{name}\" not found");
                return 1;
            }

            stderr.WriteLine(all ? "No resources found" : $"No resources found in {ns} namespace.");
            return 0;
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
}
