using CsCheck;
using Maille.Engine.NetworkPolicies;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// The class-based evaluator against <see cref="ReferenceEvaluator"/> on random worlds (<see cref="PolicyWorldGen"/>):
/// every ordered pair of endpoints (pods, hostNetwork pods, external addresses) on every question port must agree.
/// On disagreement CsCheck shrinks the world and prints it with its seed; rerun with CsCheck_Seed=SEED (environment)
/// to replay exactly that case.
/// </summary>
public sealed class NetworkPolicyPropertyTests
{
    private const int Cases = 10_000;

    [Fact]
    public void ClassBasedEvaluatorAgreesWithTheNaiveReferenceOnRandomWorlds()
    {
        PolicyWorldGen.World.Sample(AgreesWithReference, iter: Cases, seed: Environment.GetEnvironmentVariable("CsCheck_Seed"));
    }

    [Fact]
    public void AllowedConnectionsAgreesWithSingleVerdicts()
    {
        PolicyWorldGen.World.Sample(world =>
        {
            var evaluator = new NetworkPolicyEvaluator(world.Namespaces, world.Pods, world.Policies, world.Nodes);
            var endpoints = world.Endpoints.Select(e => ToEngine(evaluator, e)).ToList();
            foreach (var from in endpoints)
            {
                foreach (var to in endpoints)
                {
                    var set = evaluator.AllowedConnections(from, to);
                    foreach (var (port, protocol) in PolicyWorldGen.Questions)
                    {
                        Assert.True(
                            set.Contains(port, protocol) == evaluator.Evaluate(from, to, port, protocol).Allowed,
                            $"{from} -> {to} {port}/{protocol}: set says {set}");
                    }
                }
            }
        }, iter: Cases / 10, seed: Environment.GetEnvironmentVariable("CsCheck_Seed"));
    }

    /// <summary>
    /// Worlds of 60 to 130 pods, so that the matrix's bitsets span more than one 64-bit word: fewer cases, since the
    /// reference is quadratic in pods.
    /// </summary>
    [Fact]
    public void MatrixAgreesWithTheNaiveReferenceAcrossBitsetWords()
    {
        PolicyWorldGen.LargeWorld.Sample(world =>
        {
            var evaluator = new NetworkPolicyEvaluator(world.Namespaces, world.Pods, world.Policies, world.Nodes);
            MatrixAgreesWithReference(world, evaluator, world.Pods);
        }, iter: 50, seed: Environment.GetEnvironmentVariable("CsCheck_Seed"));
    }

    private static void AgreesWithReference(PolicyWorld world)
    {
        var evaluator = new NetworkPolicyEvaluator(world.Namespaces, world.Pods, world.Policies, world.Nodes);
        foreach (var from in world.Endpoints)
        {
            foreach (var to in world.Endpoints)
            {
                foreach (var (port, protocol) in PolicyWorldGen.Questions)
                {
                    var expected = ReferenceEvaluator.Allowed(world, from, to, port, protocol);
                    var verdict = evaluator.Evaluate(ToEngine(evaluator, from), ToEngine(evaluator, to), port, protocol);
                    if (verdict.Allowed != expected)
                    {
                        throw new Xunit.Sdk.XunitException(
                            $"{from} -> {to} on {port}/{protocol}: reference says {(expected ? "allowed" : "denied")}, engine says {verdict}");
                    }
                }
            }
        }

        // The matrix takes its own bitset path; hold it to the reference too, with every pod and with one namespace's.
        MatrixAgreesWithReference(world, evaluator, world.Pods);
        MatrixAgreesWithReference(world, evaluator, world.Pods.Where(p => p.Namespace == "x"));
    }

    private static void MatrixAgreesWithReference(PolicyWorld world, NetworkPolicyEvaluator evaluator, IEnumerable<Model.Pod> pods)
    {
        var matrix = ReachabilityMatrix.Compute(evaluator, pods, PolicyWorldGen.Questions.Select(q => new PortProtocol(q.Port, q.Protocol)));
        for (var port = 0; port < matrix.Ports.Length; port++)
        {
            for (var from = 0; from < matrix.Pods.Length; from++)
            {
                for (var to = 0; to < matrix.Pods.Length; to++)
                {
                    var (a, b) = (matrix.Pods[from], matrix.Pods[to]);
                    var expected = ReferenceEvaluator.Allowed(world, new WorldEndpoint(a, a.Status.PodIP), new WorldEndpoint(b, b.Status.PodIP), matrix.Ports[port].Port, matrix.Ports[port].Protocol);
                    if (matrix.IsAllowed(port, from, to) != expected || matrix[port, from, to].Allowed != expected)
                    {
                        throw new Xunit.Sdk.XunitException(
                            $"matrix {a.QualifiedName} -> {b.QualifiedName} on {matrix.Ports[port]}: reference says {(expected ? "allowed" : "denied")}, IsAllowed says {matrix.IsAllowed(port, from, to)}, verdict {matrix[port, from, to]}");
                    }
                }
            }
        }
    }

    private static PolicyEndpoint ToEngine(NetworkPolicyEvaluator evaluator, WorldEndpoint endpoint) =>
        endpoint.Pod is { } pod ? evaluator.EndpointOf(pod) : PolicyEndpoint.External(endpoint.Address!);
}
