using System.Security.Cryptography.X509Certificates;
using Maille.Model;

namespace Maille.Engine.Ingresses;

/// <summary>
/// The TLS certificates of <c>spec.tls</c> by server name (SNI): an exact host first, then the wildcard host
/// <c>*.rest</c> covering the name's first label. A host listed by several Ingresses takes the entry of the first in
/// <see cref="IngressPrecedence"/>. An entry without <c>hosts</c> covers the hosts of its Ingress's rules. A server
/// name with no entry (or no SNI at all) gets the controller's default certificate; SNI only picks the certificate,
/// the Host header still picks the route.
/// </summary>
public sealed class IngressTlsTable
{
    private readonly HostIndex<IngressCertificate> _hosts;

    private IngressTlsTable(IReadOnlyList<IngressCertificate> entries)
    {
        Entries = entries;
        _hosts = new HostIndex<IngressCertificate>(entries.Select(e => KeyValuePair.Create(e.Host, e)));
    }

    /// <summary>No certificate entry: every server name gets the default certificate.</summary>
    public static IngressTlsTable Empty { get; } = new([]);

    /// <summary>Every host with a certificate entry, one entry per host.</summary>
    public IReadOnlyList<IngressCertificate> Entries { get; }

    /// <summary>The entry for a TLS server name, or null for the default certificate.</summary>
    public IngressCertificate? ForServerName(ReadOnlySpan<char> serverName) => _hosts.Find(serverName);

    public static IngressTlsTable Build(IReadOnlyList<Ingress> served, ClusterState cluster, List<IngressProblem> problems)
    {
        var secrets = cluster.Secrets.ToDictionary(s => s.Meta.QualifiedName, StringComparer.Ordinal);
        var checkedSecrets = new Dictionary<string, (Secret? Secret, string? Problem, X509Certificate2? Leaf)>(StringComparer.Ordinal);
        var entries = new Dictionary<string, IngressCertificate>(StringComparer.Ordinal);
        try
        {
            foreach (var ingress in served)
            {
                var name = $"Ingress {ingress.Meta.QualifiedName}";
                for (var t = 0; t < ingress.Tls.Count; t++)
                {
                    var tls = ingress.Tls[t];
                    var hosts = tls.Hosts.IsEmpty
                        ? ingress.Rules.Select(r => r.Host).OfType<string>().Distinct(StringComparer.Ordinal).ToArray()
                        : [.. tls.Hosts];
                    var (secret, problem, leaf) = Check(ingress, tls.SecretName, secrets, checkedSecrets);
                    if (problem is not null)
                    {
                        problems.Add(new IngressProblem(name, $"spec.tls[{t}]: {problem}; its hosts get the default certificate"));
                    }

                    foreach (var host in hosts.Select(HostName.Normalize))
                    {
                        if (entries.TryGetValue(host, out var first))
                        {
                            if (!ReferenceEquals(first.Ingress, ingress))
                            {
                                problems.Add(new IngressProblem(name, $"spec.tls[{t}] host {host} is not used: Ingress {first.Ingress.Meta.QualifiedName}, first in precedence, has a certificate entry for it"));
                            }

                            continue;
                        }

                        if (leaf is not null && !host.StartsWith("*.", StringComparison.Ordinal) && !leaf.MatchesHostname(host))
                        {
                            problems.Add(new IngressProblem(name, $"spec.tls[{t}]: the certificate of Secret {ingress.Namespace}/{tls.SecretName} ({leaf.Subject}) does not name host {host}; it is presented all the same"));
                        }

                        entries[host] = new IngressCertificate(host, ingress, tls.SecretName, secret, problem);
                    }
                }
            }
        }
        finally
        {
            foreach (var (_, _, leaf) in checkedSecrets.Values)
            {
                leaf?.Dispose();
            }
        }

        return new IngressTlsTable([.. entries.Values.OrderBy(e => e.Host, StringComparer.Ordinal)]);
    }

    private static (Secret? Secret, string? Problem, X509Certificate2? Leaf) Check(
        Ingress ingress,
        string? secretName,
        Dictionary<string, Secret> secrets,
        Dictionary<string, (Secret? Secret, string? Problem, X509Certificate2? Leaf)> checkedSecrets)
    {
        if (secretName is null)
        {
            return (null, "no secretName", null);
        }

        var qualified = $"{ingress.Namespace}/{secretName}";
        if (checkedSecrets.TryGetValue(qualified, out var known))
        {
            return known;
        }

        if (!secrets.TryGetValue(qualified, out var secret))
        {
            known = (null, $"no Secret {qualified}", null);
        }
        else
        {
            var chain = TlsSecretMaterial.TryRead(secret, out var problem);
            X509Certificate2? leaf = null;
            if (chain is not null)
            {
                leaf = chain[0];
                foreach (var intermediate in chain.Skip(1))
                {
                    intermediate.Dispose();
                }
            }

            known = (secret, problem, leaf);
        }

        checkedSecrets[qualified] = known;
        return known;
    }
}
