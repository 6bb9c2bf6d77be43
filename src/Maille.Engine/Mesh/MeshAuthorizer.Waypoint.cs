using System.Collections.Immutable;
using System.Net;
using Maille.Model;

namespace Maille.Engine.Mesh;

/// <summary>
/// AuthorizationPolicy at a waypoint (layer 7): the policies whose <c>targetRefs</c> name the waypoint Gateway (in its
/// namespace) or the Service the request is addressed to (in the Service's namespace), in Istio's order: DENY, then
/// ALLOW, no ALLOW policy → allowed. A rule's sources match as at the node proxy (the waypoint knows the client's
/// identity from HBONE's mTLS); its operations also match the request: <c>methods</c> (exact, as written), <c>paths</c>
/// (the path without query: exact, prefix <c>/x/*</c>, suffix <c>*x</c>, or <c>*</c> for any), <c>hosts</c> (the Host
/// without case, with or without its port), the not forms excluding, and <c>ports</c> the Service port.
/// </summary>
public sealed partial class MeshAuthorizer
{
    /// <summary>The policies a waypoint applies to requests for <paramref name="service"/>, in namespace/name order.</summary>
    public ImmutableArray<AuthorizationPolicy> PoliciesAtWaypoint(Waypoint waypoint, Service service) =>
        [.. _cluster.AuthorizationPolicies.Where(p => p.TargetRefs.Any(t =>
            (t.IsGateway && p.Namespace == waypoint.Namespace && t.Name == waypoint.Gateway.Meta.Name)
            || (t.IsService && p.Namespace == service.Namespace && t.Name == service.Meta.Name)))];

    /// <summary>
    /// The waypoint's verdict on one HTTP request to <paramref name="service"/>'s <paramref name="port"/>, from a client
    /// with identity <paramref name="source"/> (null: not in the mesh) and address <paramref name="address"/>.
    /// </summary>
    public WaypointAuthorization AuthorizeAtWaypoint(
        Waypoint waypoint, Service service, WorkloadIdentity? source, IPAddress? address, int port, string method, string path, string host)
    {
        var policies = PoliciesAtWaypoint(waypoint, service);
        var names = policies.Select(p => p.QualifiedName).ToImmutableArray();
        var peer = new Peer(source?.Principal, source?.Namespace, address);
        var request = new HttpAttributes(method, path, host);
        foreach (var policy in policies.Where(p => p.Action == AuthorizationAction.Deny))
        {
            for (var r = 0; r < policy.Rules.Count; r++)
            {
                if (MatchesRequest(policy.Rules[r], peer, port, request))
                {
                    return new WaypointAuthorization { Outcome = MeshOutcome.DeniedByPolicy, DecidedBy = new MeshRuleRef(policy.QualifiedName, r, AuthorizationAction.Deny), Policies = names };
                }
            }
        }

        var allow = policies.Where(p => p.Action == AuthorizationAction.Allow).ToList();
        if (allow.Count == 0)
        {
            return new WaypointAuthorization { Outcome = MeshOutcome.NoAllowPolicy, Policies = names };
        }

        foreach (var policy in allow)
        {
            for (var r = 0; r < policy.Rules.Count; r++)
            {
                if (MatchesRequest(policy.Rules[r], peer, port, request))
                {
                    return new WaypointAuthorization { Outcome = MeshOutcome.AllowedByPolicy, DecidedBy = new MeshRuleRef(policy.QualifiedName, r, AuthorizationAction.Allow), Policies = names };
                }
            }
        }

        return new WaypointAuthorization { Outcome = MeshOutcome.NoAllowRuleMatched, AllowPolicies = [.. allow.Select(p => p.QualifiedName)], Policies = names };
    }

    private sealed record HttpAttributes(string Method, string Path, string Host);

    private static bool MatchesRequest(AuthorizationRule rule, Peer peer, int port, HttpAttributes request) =>
        (rule.From.IsEmpty || rule.From.Any(s => Matches(s, peer)))
        && (rule.To.IsEmpty || rule.To.Any(o => Matches(o, port) && MatchesHttp(o, request)));

    private static bool MatchesHttp(AuthorizationOperation operation, HttpAttributes request)
    {
        var host = request.Host.ToLowerInvariant();
        var bareHost = host.LastIndexOf(':') is var colon and > 0 && !host.EndsWith(']') ? host[..colon] : host;
        return Includes(operation.Methods, operation.NotMethods, v => StringMatches(v, request.Method, principal: false))
            && Includes(operation.Paths, operation.NotPaths, v => StringMatches(v, request.Path, principal: false))
            && Includes(operation.Hosts, operation.NotHosts, v => StringMatches(v.ToLowerInvariant(), host, principal: false) || StringMatches(v.ToLowerInvariant(), bareHost, principal: false));
    }

    /// <summary>A field and its not form: one of <paramref name="values"/> must match (when written), none of <paramref name="notValues"/>.</summary>
    private static bool Includes(EquatableArray<string> values, EquatableArray<string> notValues, Func<string, bool> matches) =>
        (values.IsEmpty || values.Any(matches)) && !notValues.Any(matches);
}
