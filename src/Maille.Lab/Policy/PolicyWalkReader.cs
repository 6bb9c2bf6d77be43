using System.Net;
using Maille.Dataplane.Nftables;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Lab.Policy;

/// <summary>
/// Reads a walk of a node's policy table (<see cref="NodeAgents.NodePolicyEnforcer.Trace"/>) with the plan the table was rendered
/// from: which steps decided the source's egress and which the destination's ingress, and which policy rule that is.
/// </summary>
/// <remarks>
/// It relies only on what any shape of the table must do: the forward hook's base chain hands each isolated direction
/// to rules outside the base chains (the egress of a local source first, then the ingress of a local destination),
/// and those rules either give the packet back (allowed) or end it (denied). A run of steps outside the base chains is
/// one direction's decision; the last step of the run is the rule that decided. A run is matched to a direction by the
/// chain the plan names for it, or else by that order. The policy rule is the one the plan's rules allow with
/// (<see cref="NodePolicyJudge"/>), so a walk that disagrees with the plan shows up as a side that does not agree.
/// </remarks>
public static class PolicyWalkReader
{
    public static PolicyWalk Read(NodePolicyPlan plan, IReadOnlySet<string> baseChains, NftTraceResult trace, IPAddress source, IPAddress destination, string protocol, int port)
    {
        if (!Enum.TryParse<Protocol>(protocol, ignoreCase: true, out var parsed))
        {
            throw new ArgumentException($"unknown protocol {protocol} (tcp, udp or sctp)", nameof(protocol));
        }

        var judge = new NodePolicyJudge(plan);
        var decision = judge.Forward(source, destination, port, parsed);
        var runs = Runs(trace, baseChains);
        var used = new HashSet<int>();
        var egress = Side(plan, decision.Egress, source, runs, used, trace, earlierDenied: false);
        var ingress = Side(plan, decision.Ingress, destination, runs, used, trace, earlierDenied: egress?.Live == PolicyWalkOutcome.Denied);
        return new PolicyWalk(plan.NodeName, source, destination, protocol.ToLowerInvariant(), port, trace, decision.Hairpin, egress, ingress)
        {
            PlanAllows = decision.Allowed,
        };
    }

    /// <summary>The runs of consecutive steps outside the base chains, in walk order.</summary>
    private static List<List<NftTraceStep>> Runs(NftTraceResult trace, IReadOnlySet<string> baseChains)
    {
        var runs = new List<List<NftTraceStep>>();
        List<NftTraceStep>? run = null;
        foreach (var step in trace.Steps)
        {
            if (baseChains.Contains(step.Chain))
            {
                run = null;
                continue;
            }

            if (run is null)
            {
                run = [];
                runs.Add(run);
            }

            run.Add(step);
        }

        return runs;
    }

    private static PolicyWalkSide? Side(NodePolicyPlan plan, ChainDecision? decision, IPAddress local, List<List<NftTraceStep>> runs, HashSet<int> used, NftTraceResult trace, bool earlierDenied)
    {
        if (decision is null)
        {
            return null;
        }

        var pod = plan.Pods.First(p => p.Address.Equals(local)).Pod;
        if (decision.Chain is not { } chain)
        {
            return new PolicyWalkSide(decision.Direction, pod, null, EquatableArray<string>.Empty, PolicyWalkOutcome.NotIsolated, null, null, PlanAllows: true) { Decision = decision };
        }

        // The chain that decided: a NetworkPolicy chain, or a ClusterNetworkPolicy tier chain (its policies, in order).
        var isolatedBy = plan.Chains.FirstOrDefault(c => c.Name == chain)?.Policies
            ?? plan.TierChains.FirstOrDefault(c => c.Name == chain)?.Policies
            ?? EquatableArray<string>.Empty;
        // The run that starts in the chain the plan names; else, the next one in walk order.
        var index = Enumerable.Range(0, runs.Count).Where(i => !used.Contains(i)).OrderBy(i => runs[i][0].Chain == chain ? 0 : 1).FirstOrDefault(-1);

        if (index < 0)
        {
            var missing = earlierDenied ? PolicyWalkOutcome.NotReached : PolicyWalkOutcome.NotEntered;
            return new PolicyWalkSide(decision.Direction, pod, chain, isolatedBy, missing, null, decision.AllowedBy, decision.Allowed) { Decision = decision };
        }

        used.Add(index);
        var last = runs[index][^1];
        var ended = trace.Verdict is NftTraceVerdict.Rejected or NftTraceVerdict.Dropped && trace.Decision == last;
        return new PolicyWalkSide(decision.Direction, pod, chain, isolatedBy, ended ? PolicyWalkOutcome.Denied : PolicyWalkOutcome.Allowed, last, decision.AllowedBy, decision.Allowed) { Decision = decision };
    }
}
