using Maille.Engine.Mesh;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Engine.Analysis;

/// <summary>
/// Lint for the mesh: <c>MeshHboneBlocked</c>, a NetworkPolicy (or ClusterNetworkPolicy) that lets two meshed pods
/// talk on a port the destination declares but drops TCP 15008 between them. Meshed traffic reaches the destination
/// pod as HBONE on 15008, which is what the kernel's policy sees, so such a policy silently cuts the traffic it meant
/// to allow (Istio's "Ambient and Kubernetes NetworkPolicy"). One finding per policy and direction, with an example
/// pair; pairs are judged per class of alike pods.
/// </summary>
public static class MeshFindings
{
    public static IEnumerable<Finding> For(ClusterState cluster, NetworkPolicyEvaluator evaluator)
    {
        var mesh = MeshAuthorizer.For(cluster);
        if (!mesh.HasMeshedPods)
        {
            return [];
        }

        var meshed = cluster.Pods.Where(mesh.IsMeshed).ToList();
        var reported = new Dictionary<(string Object, PolicyDirection Direction), (Finding Finding, int Pairs)>();
        var judged = new HashSet<(PodClass, PodClass)>();
        foreach (var to in meshed)
        {
            var ports = to.Spec.AllPorts.Where(p => p.Protocol == Protocol.TCP && p.Port != MeshApi.HbonePort).Select(p => p.Port).Distinct().Order().ToList();
            foreach (var from in meshed.Where(f => f.QualifiedName != to.QualifiedName))
            {
                if (ports.Count == 0 || !judged.Add((evaluator.ClassOf(from), evaluator.ClassOf(to))))
                {
                    continue;
                }

                var hbone = evaluator.Evaluate(from, to, MeshApi.HbonePort, Protocol.TCP);
                if (hbone.Allowed || ports.FirstOrDefault(p => evaluator.Evaluate(from, to, p, Protocol.TCP).Allowed) is not (> 0 and var port))
                {
                    continue;
                }

                foreach (var side in new[] { hbone.Egress, hbone.Ingress }.Where(s => s.Applies && !s.Allowed))
                {
                    var (obj, source) = Blamed(cluster, side);
                    var key = (obj.ToString(), side.Direction);
                    if (reported.TryGetValue(key, out var known))
                    {
                        reported[key] = (known.Finding, known.Pairs + 1);
                        continue;
                    }

                    var direction = side.Direction == PolicyDirection.Ingress ? "ingress" : "egress";
                    reported[key] = (new Finding(
                        "MeshHboneBlocked",
                        obj,
                        $"{direction} drops TCP {MeshApi.HbonePort} (HBONE) from {from.QualifiedName} to {to.QualifiedName}, both in the mesh, while NetworkPolicy allows {port}/TCP between them: "
                        + $"meshed traffic reaches the pod on {MeshApi.HbonePort}, so it is cut; allow TCP {MeshApi.HbonePort} where the application port is allowed",
                        source), 1);
                }
            }
        }

        return reported.Values.Select(r => r.Pairs == 1 ? r.Finding : r.Finding with { Message = $"{r.Finding.Message} ({r.Pairs} such pairs of alike pods)" });
    }

    /// <summary>The policy that dropped a direction: the ClusterNetworkPolicy rule that denied, else the first isolating NetworkPolicy.</summary>
    private static (ObjectRef Object, SourceLocation Source) Blamed(ClusterState cluster, DirectionVerdict side)
    {
        if (side.DecidedBy is { } rule && cluster.ClusterNetworkPolicies.FirstOrDefault(p => p.Name == rule.Policy) is { } clusterPolicy)
        {
            return (new ObjectRef(clusterPolicy.SourceKind, null, clusterPolicy.Name), clusterPolicy.Meta.Source);
        }

        var name = side.IsolatedBy.FirstOrDefault() ?? "";
        var policy = cluster.NetworkPolicies.FirstOrDefault(p => p.QualifiedName == name);
        return policy is null
            ? (new ObjectRef("NetworkPolicy", null, name), new SourceLocation("", 0))
            : (new ObjectRef("NetworkPolicy", policy.Namespace, policy.Meta.Name), policy.Meta.Source);
    }
}
