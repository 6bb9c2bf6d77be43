using System.Net;
using CsCheck;
using Maille.Engine.NetworkPolicies;
using Maille.Kube;
using Maille.Model;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// The compiled per-node plans, read through the lab's packet path (<see cref="EnforcedCluster"/>), must decide every
/// connection exactly as <see cref="NetworkPolicyEvaluator.Evaluate(PolicyEndpoint, PolicyEndpoint, int, Protocol)"/>
/// does: on the netpol playground with each scenario, and on random clusters (pods, hostNetwork pods and external
/// addresses as both ends). A disagreement names the pair, the port, both answers and the seed; rerun with the
/// environment variable CsCheck_Seed=SEED to replay it.
/// </summary>
public sealed class NodePolicyPlanDifferentialTests
{
    private static readonly string Examples = Path.Combine(TestKit.Cluster.RepositoryRoot, "examples", "netpol-playground");

    private static readonly (int Port, Protocol Protocol)[] PlaygroundPorts =
        [(80, Protocol.TCP), (81, Protocol.TCP), (80, Protocol.UDP), (81, Protocol.UDP), (82, Protocol.TCP), (80, Protocol.SCTP)];

    [Fact]
    public void PlaygroundWithoutPolicy_PlansDecideEveryPairAsTheEvaluator() => AgreeOnPlayground("no policy", "");

    [Theory]
    [MemberData(nameof(PlaygroundScenarioTests.Scenarios), MemberType = typeof(PlaygroundScenarioTests))]
    public void PlaygroundScenario_PlansDecideEveryPairAsTheEvaluator(string scenario) =>
        AgreeOnPlayground(scenario, File.ReadAllText(Path.Combine(Examples, "scenarios", scenario + ".yaml")));

    [Fact]
    public void RandomClusters_PlansDecideEveryPairAsTheEvaluator()
    {
        PolicyWorldGen.World.Sample(world => AgreeOnWorld(world), iter: 2_000, seed: Environment.GetEnvironmentVariable("CsCheck_Seed"));
    }

    [Fact]
    public void LargeRandomClusters_PlansDecideEveryPairAsTheEvaluator()
    {
        PolicyWorldGen.LargeWorld.Sample(world => AgreeOnWorld(world), iter: 20, seed: Environment.GetEnvironmentVariable("CsCheck_Seed"));
    }

    private static void AgreeOnPlayground(string scenario, string policies)
    {
        var result = TestKit.Cluster.Plan([new ManifestSource("pods.yaml", Playground.PodsYaml), new ManifestSource("policies.yaml", policies)]);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var cluster = result.Cluster!;
        var evaluator = NetworkPolicyEvaluator.For(cluster);
        var enforced = new EnforcedCluster(evaluator, cluster.Pods, cluster.Nodes);
        var endpoints = cluster.Pods.Select(p => (Pod: (Pod?)p, Address: p.Status.PodIP!))
            .Concat(cluster.Nodes.Select(n => (Pod: (Pod?)null, Address: n.InternalIP!)))
            .Append((null, IPAddress.Parse("203.0.113.5")))
            .ToList();

        var checkedPairs = 0;
        foreach (var from in endpoints)
        {
            foreach (var to in endpoints)
            {
                foreach (var (port, protocol) in PlaygroundPorts)
                {
                    AssertAgree(scenario, evaluator, enforced, from.Pod, from.Address, to.Pod, to.Address, port, protocol);
                    checkedPairs++;
                }
            }
        }

        Assert.Equal(endpoints.Count * endpoints.Count * PlaygroundPorts.Length, checkedPairs);
    }

    private static void AgreeOnWorld(PolicyWorld world)
    {
        var evaluator = new NetworkPolicyEvaluator(world.Namespaces, world.Pods, world.Policies, world.Nodes);
        var enforced = new EnforcedCluster(evaluator, world.Pods, world.Nodes);
        var endpoints = world.Endpoints.ToList();
        foreach (var from in endpoints)
        {
            foreach (var to in endpoints)
            {
                foreach (var (port, protocol) in PolicyWorldGen.Questions)
                {
                    AssertAgree("random world", evaluator, enforced, from.Pod, from.Address!, to.Pod, to.Address!, port, protocol);
                }
            }
        }
    }

    private static void AssertAgree(
        string context, NetworkPolicyEvaluator evaluator, EnforcedCluster enforced, Pod? fromPod, IPAddress from, Pod? toPod, IPAddress to, int port, Protocol protocol)
    {
        var (fromEndpoint, toEndpoint) = (Endpoint(evaluator, fromPod, from), Endpoint(evaluator, toPod, to));
        var verdict = evaluator.Evaluate(fromEndpoint, toEndpoint, port, protocol);
        var path = enforced.Path(fromEndpoint, toEndpoint, port, protocol);
        var planned = path.All(hop => hop.Decision.Allowed);
        if (planned != verdict.Allowed)
        {
            var hops = path.Count == 0 ? "no forward hook crossed" : string.Join("; ", path.Select(h => $"{h.Node}: {h.Decision}"));
            throw new Xunit.Sdk.XunitException(
                $"{context}: {Name(fromPod, from)} -> {Name(toPod, to)} on {port}/{protocol}: evaluator says {verdict}; plans say {(planned ? "allowed" : "denied")} ({hops})");
        }
    }

    private static PolicyEndpoint Endpoint(NetworkPolicyEvaluator evaluator, Pod? pod, IPAddress address) =>
        pod is null ? PolicyEndpoint.External(address) : evaluator.EndpointOf(pod);

    private static string Name(Pod? pod, IPAddress address) => pod is null ? address.ToString() : $"{pod.QualifiedName}{(pod.Spec.HostNetwork ? "(hostNetwork)" : "")} {address}";
}
