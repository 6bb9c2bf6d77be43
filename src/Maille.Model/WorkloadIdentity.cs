namespace Maille.Model;

/// <summary>
/// A meshed workload's identity: its namespace and service account, written as the SPIFFE ID
/// <c>spiffe://cluster.local/ns/NS/sa/SA</c> in its certificate's URI SAN and as the principal
/// <c>cluster.local/ns/NS/sa/SA</c> in AuthorizationPolicy.
/// </summary>
public sealed record WorkloadIdentity(string Namespace, string ServiceAccount)
{
    private const string Prefix = "spiffe://" + MeshApi.TrustDomain + "/ns/";

    public string SpiffeId => MeshApi.SpiffeId(Namespace, ServiceAccount);

    public string Principal => MeshApi.Principal(Namespace, ServiceAccount);

    /// <summary>
    /// The identity a SPIFFE ID names, or null when it is not exactly <c>spiffe://cluster.local/ns/NS/sa/SA</c> with
    /// non-empty names and no other segment, query or fragment (another trust domain is not ours).
    /// </summary>
    public static WorkloadIdentity? TryParse(string? spiffeId)
    {
        if (spiffeId is null || !spiffeId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = spiffeId[Prefix.Length..].Split('/');
        return parts.Length == 3 && parts[1] == "sa" && Valid(parts[0]) && Valid(parts[2]) ? new WorkloadIdentity(parts[0], parts[2]) : null;

        static bool Valid(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');
    }

    public override string ToString() => SpiffeId;
}
