using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using k8s.Models;

namespace Maille.Kube.Live;

/// <summary>
/// Reads the objects Maille models from a running cluster's API through KubernetesClient (a kubeconfig and one of its
/// contexts), as <c>kubectl get … -A -o yaml</c> would dump them: Namespaces, Nodes, Pods, Services, EndpointSlices,
/// the workloads, NetworkPolicies, Ingresses and IngressClasses, MetalLB's pools and advertisements, and only the
/// Secrets an Ingress names for TLS (no other Secret is read). The engine then plans them as it plans a dump: the
/// cluster's own pods, addresses and allocations are kept. Each object becomes its own source, named
/// <c>CONTEXT: RESOURCE NAMESPACE/NAME</c>, so a diagnostic names the object it is about.
/// </summary>
public static class LiveClusterReader
{
    /// <summary>The client for <paramref name="kubeconfig"/> (else KUBECONFIG, else ~/.kube/config) and <paramref name="context"/> (else its current one).</summary>
    /// <exception cref="KubeConfigException">The kubeconfig or context cannot be used.</exception>
    public static (Kubernetes Client, string Context) Connect(string? kubeconfig, string? context)
    {
        var loaded = kubeconfig is not null ? KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(kubeconfig)) : FromDefaultFiles(context);
        var name = context ?? loaded.CurrentContext ?? throw new KubeConfigException("the kubeconfig has no current context: give --context");
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(loaded, name);
        return (new Kubernetes(configuration), name);
    }

    /// <summary>
    /// KUBECONFIG's files (else ~/.kube/config): the first that has <paramref name="context"/>, or without one, the
    /// first with a current context. kubectl merges the files; this reads the one that answers, which is the same
    /// unless a context's cluster and user are spread over several files.
    /// </summary>
    private static k8s.KubeConfigModels.K8SConfiguration FromDefaultFiles(string? context)
    {
        if (Environment.GetEnvironmentVariable("KUBECONFIG") is not { Length: > 0 } list)
        {
            return KubernetesClientConfiguration.LoadKubeConfig();
        }

        var files = list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(File.Exists).Select(f => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(f))).ToList();
        return files.FirstOrDefault(c => context is null ? !string.IsNullOrEmpty(c.CurrentContext) : c.Contexts?.Any(x => x.Name == context) == true)
            ?? throw new KubeConfigException(context is null ? $"no file of KUBECONFIG ({list}) has a current context: give --context" : $"no file of KUBECONFIG ({list}) has context \"{context}\"");
    }

    /// <summary>
    /// Every object, one source each. A resource the server does not serve (MetalLB's kinds on a cluster without
    /// MetalLB) is left out and said in <c>Notes</c>; anything else that fails (unreachable, 401, 403) is an error and
    /// the read stops, so nothing is computed from half a cluster.
    /// </summary>
    public static async Task<LiveClusterRead> ReadAsync(IKubernetes client, string context, CancellationToken cancellationToken = default)
    {
        var sources = new List<ManifestSource>();
        var notes = new List<string>();
        var ingresses = new List<V1Ingress>();

        void Add<T>(IEnumerable<T> items, string apiVersion, string kind, string resource)
            where T : IKubernetesObject<V1ObjectMeta>
        {
            foreach (var item in items)
            {
                // A list's items carry no apiVersion or kind (the API server leaves them out); the loader needs them.
                item.ApiVersion = apiVersion;
                item.Kind = kind;
                var ns = item.Metadata.NamespaceProperty is { } scope ? $"{scope}/" : "";
                sources.Add(new ManifestSource($"{context}: {resource} {ns}{item.Metadata.Name}", KubernetesJson.Serialize(item)));
            }
        }

        async Task<bool> Optional(string resource, Func<Task> read, bool forbiddenToo = false)
        {
            try
            {
                await read();
                return true;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound || (forbiddenToo && e.Response.StatusCode == HttpStatusCode.Forbidden))
            {
                notes.Add($"{resource}: not served by this cluster, left out");
                return false;
            }
        }

        try
        {
            Add((await client.CoreV1.ListNamespaceAsync(cancellationToken: cancellationToken)).Items, "v1", "Namespace", "namespaces");
            Add((await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).Items, "v1", "Node", "nodes");
            Add((await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: cancellationToken)).Items, "v1", "Pod", "pods");
            Add((await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: cancellationToken)).Items, "v1", "Service", "services");
            Add((await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(cancellationToken: cancellationToken)).Items, "discovery.k8s.io/v1", "EndpointSlice", "endpointslices");
            Add((await client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: cancellationToken)).Items, "apps/v1", "Deployment", "deployments");
            Add((await client.AppsV1.ListReplicaSetForAllNamespacesAsync(cancellationToken: cancellationToken)).Items, "apps/v1", "ReplicaSet", "replicasets");
            Add((await client.AppsV1.ListStatefulSetForAllNamespacesAsync(cancellationToken: cancellationToken)).Items, "apps/v1", "StatefulSet", "statefulsets");
            Add((await client.AppsV1.ListDaemonSetForAllNamespacesAsync(cancellationToken: cancellationToken)).Items, "apps/v1", "DaemonSet", "daemonsets");
            Add((await client.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync(cancellationToken: cancellationToken)).Items, "networking.k8s.io/v1", "NetworkPolicy", "networkpolicies");
            ingresses.AddRange((await client.NetworkingV1.ListIngressForAllNamespacesAsync(cancellationToken: cancellationToken)).Items);
            Add(ingresses, "networking.k8s.io/v1", "Ingress", "ingresses");
            await Optional("ingressclasses.networking.k8s.io", async () => Add((await client.NetworkingV1.ListIngressClassAsync(cancellationToken: cancellationToken)).Items, "networking.k8s.io/v1", "IngressClass", "ingressclasses"));
            foreach (var (plural, kind) in new[] { ("ipaddresspools", "IPAddressPool"), ("l2advertisements", "L2Advertisement") })
            {
                await Optional($"{plural}.metallb.io", async () =>
                {
                    var list = await client.CustomObjects.ListClusterCustomObjectAsync<MetalLbList>("metallb.io", "v1beta1", plural, cancellationToken: cancellationToken);
                    foreach (var item in list.Items ?? [])
                    {
                        item["apiVersion"] = "metallb.io/v1beta1";
                        item["kind"] = kind;
                        var metadata = item["metadata"];
                        sources.Add(new ManifestSource($"{context}: {plural} {metadata?["namespace"]}/{metadata?["name"]}", item.ToJsonString()));
                    }
                });
            }

            // Only the Secrets an Ingress names for TLS: their certificates decide what the Ingress presents.
            foreach (var (ns, name) in ingresses.SelectMany(i => (i.Spec?.Tls ?? []).Where(t => t.SecretName is not null).Select(t => (i.Metadata.NamespaceProperty, t.SecretName))).Distinct())
            {
                if (await Optional($"secret {ns}/{name}", async () => Add([await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken)], "v1", "Secret", "secrets"), forbiddenToo: true) is false)
                {
                    notes[^1] = $"secret {ns}/{name} (named by an Ingress for TLS): not found, not served or not readable, left out";
                }
            }
        }
        catch (HttpOperationException e)
        {
            var message = e.Response.Content is { Length: > 0 } body && k8s.KubernetesJson.Deserialize<V1Status>(body) is { Message: { } said } ? said : e.Message;
            return new LiveClusterRead([], notes, $"{(int)e.Response.StatusCode} {e.Response.StatusCode}: {message}");
        }
        catch (HttpRequestException e)
        {
            return new LiveClusterRead([], notes, $"the API cannot be reached: {e.Message}");
        }

        return new LiveClusterRead(sources, notes, null);
    }

    /// <summary>A custom resource list as raw JSON objects (MetalLB's kinds have no model in KubernetesClient).</summary>
    private sealed class MetalLbList
    {
        [System.Text.Json.Serialization.JsonPropertyName("items")]
        public List<System.Text.Json.Nodes.JsonObject>? Items { get; set; }
    }
}
