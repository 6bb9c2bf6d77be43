namespace Maille.Dataplane.Nftables;

/// <summary>What the policy table does with a connection no rule allows (docs/networkpolicy-dataplane.md says why Reject is the default).</summary>
public enum PolicyDeniedAction
{
    /// <summary>
    /// <c>reject with icmp admin-prohibited</c>, for every protocol: the client fails at once with "no route to host"
    /// (EHOSTUNREACH), which tells a policy denial apart from a closed port ("connection refused") and from a host
    /// that is down (a timeout).
    /// </summary>
    Reject,

    /// <summary><c>drop</c>: the client waits for its own timeout, as most CNIs behave.</summary>
    Drop,
}
