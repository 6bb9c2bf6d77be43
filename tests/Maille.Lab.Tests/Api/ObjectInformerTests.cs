using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Maille.Engine;
using Maille.Engine.Allocation;
using Maille.Kube.Live;
using Maille.Lab.Api;
using Maille.Model;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// What a node agent's caches rely on, against the lab's API over HTTPS with a node's certificate (no root needed): a
/// first list, each change after it through the watch, and through an outage of the API the cache is kept whole; when
/// the API comes back after the changes missed were forgotten (410), one relist reports them as ordinary changes.
/// </summary>
public sealed class ObjectInformerTests
{
    private const string PodA = "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\nspec: {containers: [{name: c}]}\n---\n";
    private const string PodB = "apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x}\nspec: {containers: [{name: c}]}\n---\n";
    private const string PodC = "apiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: x}\nspec: {containers: [{name: c}]}\n---\n";

    [Fact]
    public async Task An_informer_lists_then_follows_changes_keeps_its_cache_through_an_outage_and_relists_after_410()
    {
        var folder = Directory.CreateTempSubdirectory("maille-informer-");
        try
        {
            var pki = Path.Combine(folder.FullName, "pki");
            var credentials = LabCredentials.LoadOrCreate(pki);
            var store = new LabStore(Plan(PodA + PodB), retainedChanges: 1);
            var socket = Path.Combine(folder.FullName, "api.sock");
            var server = new LabApiServer(store, socket, https: new LabApiHttps(0, credentials));
            await server.StartAsync(CancellationToken.None);
            var port = server.HttpsPort!.Value;
            var (certificate, key) = LabCredentials.ForNode(pki, "node-1");
            using var client = new Kubernetes(new KubernetesClientConfiguration
            {
                Host = $"https://127.0.0.1:{port}",
                ClientCertificateData = Convert.ToBase64String(Encoding.UTF8.GetBytes(certificate)),
                ClientCertificateKeyData = Convert.ToBase64String(Encoding.UTF8.GetBytes(key)),
                SslCaCerts = [X509Certificate2.CreateFromPem(credentials.AuthorityPem)],
            });
            var changes = Channel.CreateUnbounded<InformerChange<V1Pod>>();
            await using var informer = new ObjectInformer<V1Pod, V1PodList>(
                "pods",
                cancel => client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: cancel),
                (version, onError, cancel) => client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: 300, onError: onError, cancellationToken: cancel),
                change => changes.Writer.TryWrite(change),
                new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) });

            informer.Start();
            await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(["x/a", "x/b"], informer.Snapshot().Keys.Order());
            Assert.Equal([(InformerChangeType.Added, "x/a"), (InformerChangeType.Added, "x/b")], [await Next(changes), await Next(changes)]);

            store.Update(Plan(PodA + PodB + PodC, store.Current.Cluster));
            Assert.Equal((InformerChangeType.Added, "x/c"), await Next(changes));

            // The API goes away; meanwhile a and b are deleted and more changes happen than the store keeps.
            var listsBefore = informer.Lists;
            await server.DisposeAsync();
            store.Update(Plan(PodB + PodC, store.Current.Cluster));
            store.Update(Plan(PodC, store.Current.Cluster));
            await Task.Delay(300);
            Assert.Equal(["x/a", "x/b", "x/c"], informer.Snapshot().Keys.Order());   // nothing dropped while unreachable
            Assert.True(informer.Failures > 0);

            await using var back = new LabApiServer(store, socket, https: new LabApiHttps(port, credentials));
            await back.StartAsync(CancellationToken.None);
            Assert.Equal([(InformerChangeType.Deleted, "x/a"), (InformerChangeType.Deleted, "x/b")], [await Next(changes), await Next(changes)]);
            Assert.Equal(["x/c"], informer.Snapshot().Keys);
            Assert.Equal(listsBefore + 1, informer.Lists);   // resumed from a version too old: 410, then one relist
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(InformerChangeType, string)> Next(Channel<InformerChange<V1Pod>> changes)
    {
        var change = await changes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return (change.Type, change.Key);
    }

    private static ClusterState Plan(string yaml, ClusterState? previous = null)
    {
        var manifests = Maille.Kube.ManifestLoader.Load([new Maille.Kube.ManifestSource("lab.yaml", yaml)]).Manifests;
        var plan = ClusterPlanner.Plan(manifests, ClusterConfig.Default, prior: previous is null ? PriorAllocations.None : PriorAllocations.From(previous));
        Assert.True(plan.Succeeded, string.Join("\n", plan.Errors));
        return plan.Cluster!;
    }
}
