using Maille.Kube;
using Maille.Lab.Labs;

namespace Maille.Lab.Tests.Labs;

public sealed class LabManifestsTests
{
    private static readonly DateTimeOffset UpAt = new(2026, 12, 5, 18, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset AppliedAt = UpAt.AddMinutes(90);

    private const string Two = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api}
        spec: {replicas: 2, selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c}]}}}
        """;

    /// <summary>Against <see cref="Two"/>: the pod relabeled, the Deployment as it was, a Service new.</summary>
    private const string Changes = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop, labels: {app: web, tier: front}}
        spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api}
        spec: {replicas: 2, selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c}]}}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {selector: {app: web}, ports: [{port: 80}]}
        """;

    [Fact]
    public void Applying_says_created_configured_or_unchanged_per_object_as_kubectl_does()
    {
        var lab = LabManifests.Parse("lab.yaml", Two, UpAt);
        var change = lab.Apply(ManifestDocument.Parse("new.yaml", Changes), AppliedAt);

        Assert.Equal(["pod/web configured", "deployment.apps/api unchanged", "service/web created"], change.Outcomes.Select(o => o.ToString()));
        Assert.Equal(4, change.Manifests.Count);
        Assert.Equal(3, lab.Count);
    }

    [Fact]
    public void Deleting_a_namespace_deletes_what_is_in_it_and_unknown_objects_are_not_found()
    {
        var lab = LabManifests.Parse("lab.yaml", Two, UpAt);

        var change = lab.Delete([new ObjectKey("", "Namespace", "", "shop"), new ObjectKey("", "Pod", "default", "ghost")]);

        Assert.Equal(["namespace \"shop\" deleted", "pod \"web\" deleted"], change.Outcomes.Select(o => o.ToString()));
        Assert.Equal([new ObjectKey("", "Pod", "default", "ghost")], change.NotFound);
        Assert.Equal([new ObjectKey("apps", "Deployment", "default", "api")], change.Manifests.Documents.Select(d => d.Key));
    }

    [Fact]
    public void Labels_are_added_and_removed_and_changing_a_value_needs_overwrite()
    {
        var lab = LabManifests.Parse("lab.yaml", Two, UpAt);
        var web = new ObjectKey("", "Pod", "shop", "web");

        var error = Assert.Throws<InvalidOperationException>(() => lab.Label(web, new Dictionary<string, string?> { ["app"] = "api" }, overwrite: false));
        var change = lab.Label(web, new Dictionary<string, string?> { ["app"] = null, ["tier"] = "front" }, overwrite: false);

        Assert.Equal("'app' already has a value (web), and --overwrite is false", error.Message);
        Assert.True(change.Manifests.TryGet(web, out var labeled));
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "front" }, labeled.Labels);
        Assert.Equal("pod/web labeled", change.Outcomes.Single().ToString());
    }

    [Fact]
    public void The_rendered_state_loads_back_into_the_same_objects()
    {
        var lab = LabManifests.Parse("lab.yaml", Two, UpAt).Label(new ObjectKey("", "Pod", "shop", "web"), new Dictionary<string, string?> { ["n"] = "0123" }, overwrite: false).Manifests;

        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("state.yaml", lab.Render())]);

        Assert.DoesNotContain(diagnostics, d => d.IsError);
        var pod = Assert.Single(manifests.Pods);
        Assert.Equal("0123", pod.Meta.Labels.Get("n"));
        Assert.Equal(80, pod.Spec.Containers[0].Ports[0].Port);
        Assert.Equal(2, Assert.Single(manifests.Workloads).Replicas);
    }

    [Fact]
    public void Objects_are_stamped_with_their_creation_time_as_the_api_server_does_and_keep_it_when_replaced()
    {
        var lab = LabManifests.Parse("lab.yaml", Two, UpAt);
        var change = lab.Apply(ManifestDocument.Parse("new.yaml", Changes + "\n" + """
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: old, namespace: shop, creationTimestamp: "2020-01-02T03:04:05Z"}
            spec: {selector: {app: web}, ports: [{port: 80}]}
            """), AppliedAt);

        string? Created(string kind, string ns, string name) => change.Manifests.TryGet(new ObjectKey("", kind, ns, name), out var d) ? d.CreationTimestamp : null;
        Assert.Equal("2026-12-05T18:00:00Z", Created("Namespace", "", "shop"));  // brought up with the lab
        Assert.Equal("2026-12-05T18:00:00Z", Created("Pod", "shop", "web"));      // replaced: keeps the time it was created at
        Assert.Equal("2026-12-05T19:30:00Z", Created("Service", "shop", "web"));  // created now
        Assert.Equal("2020-01-02T03:04:05Z", Created("Service", "shop", "old"));  // as given
        Assert.Equal("pod/web configured", change.Outcomes[0].ToString());

        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("state.yaml", change.Manifests.Render())]);
        Assert.DoesNotContain(diagnostics, d => d.IsError);
        Assert.Equal(AppliedAt, manifests.Services.Single(s => s.Name == "web").Meta.CreationTimestamp);
    }

    [Fact]
    public void Applying_the_same_object_again_is_unchanged_though_the_stored_one_carries_its_creation_time()
    {
        var lab = LabManifests.Parse("lab.yaml", Two, UpAt);

        var change = lab.Apply(ManifestDocument.Parse("again.yaml", Two), AppliedAt);

        Assert.All(change.Outcomes, o => Assert.EndsWith(" unchanged", o.ToString(), StringComparison.Ordinal));
        Assert.All(change.Manifests.Documents, d => Assert.Equal("2026-12-05T18:00:00Z", d.CreationTimestamp));
    }
    [Fact]
    public void Generation_starts_at_1_and_grows_when_the_spec_changes_but_not_for_labels_or_annotations()
    {
        var lab = LabManifests.Parse("lab.yaml", Two, UpAt);
        var key = new ObjectKey("apps", "Deployment", "default", "api");
        Assert.Equal(1, Generation(lab, key));

        var relabeled = lab.Apply(ManifestDocument.Parse("new.yaml", Two.Replace("metadata: {name: api}", "metadata: {name: api, labels: {tier: back}, annotations: {a: b}}")), AppliedAt).Manifests;
        Assert.Equal(1, Generation(relabeled, key));

        var scaled = relabeled.Apply(ManifestDocument.Parse("new.yaml", Two.Replace("replicas: 2", "replicas: 3")), AppliedAt).Manifests;
        Assert.Equal(2, Generation(scaled, key));
        var again = scaled.Apply(ManifestDocument.Parse("new.yaml", Two.Replace("replicas: 2", "replicas: 3")), AppliedAt);
        Assert.Equal(2, Generation(again.Manifests, key));
        Assert.Contains(again.Outcomes, o => o.Key == key && o.Action == "unchanged");
    }

    [Fact]
    public void A_replaced_deployment_keeps_the_revision_its_controller_wrote_and_deleting_it_deletes_its_replicasets()
    {
        const string Owned = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, annotations: {deployment.kubernetes.io/revision: "3"}}
            spec: {replicas: 2, selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c}]}}}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: api-1, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, uid: u, controller: true}]}
            spec: {replicas: 2, selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c}]}}}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: other, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: elsewhere, uid: v, controller: true}]}
            spec: {replicas: 1, selector: {matchLabels: {app: x}}, template: {metadata: {labels: {app: x}}, spec: {containers: [{name: c}]}}}
            """;
        var lab = LabManifests.Parse("lab.yaml", Owned, UpAt);
        var replaced = lab.Apply(ManifestDocument.Parse("new.yaml", Two.Split("---")[2]), AppliedAt).Manifests;
        Assert.True(replaced.TryGet(new ObjectKey("apps", "Deployment", "default", "api"), out var deployment));
        Assert.Equal("3", deployment.Annotations["deployment.kubernetes.io/revision"]);

        var deleted = replaced.Delete([new ObjectKey("apps", "Deployment", "default", "api")]);
        Assert.Equal(["Deployment/api", "ReplicaSet/api-1"], deleted.Outcomes.Select(o => $"{o.Key.Kind}/{o.Key.Name}"));
        Assert.True(deleted.Manifests.TryGet(new ObjectKey("apps", "ReplicaSet", "default", "other"), out _));
    }

    private static long Generation(LabManifests lab, ObjectKey key) => lab.TryGet(key, out var document) ? document.Generation : -1;

    [Fact]
    public void A_change_of_owners_alone_configures_the_object_and_a_delete_forgets_its_owners()
    {
        var manifests = LabManifests.Parse("two.yaml", Two, UpAt);
        var key = new ObjectKey("apps", "Deployment", "default", "api");
        var document = manifests.Documents.Single(d => d.Key == key);
        var fields = Maille.Kube.Fields.FieldSet.Of([["f:spec", "f:replicas"]]);
        var owners = new Dictionary<ObjectKey, System.Collections.Immutable.ImmutableArray<Maille.Kube.Fields.ManagedFieldsEntry>>
        {
            [key] = [new Maille.Kube.Fields.ManagedFieldsEntry("ci", "Apply", "apps/v1", AppliedAt, null, fields)],
        };

        var owned = manifests.Apply(ManifestDocument.Parse("again.yaml", document.ToYaml()), AppliedAt, owners);
        var same = owned.Manifests.Apply(ManifestDocument.Parse("again.yaml", document.ToYaml()), AppliedAt, owners);
        var deleted = owned.Manifests.Delete([key]);

        Assert.Equal("configured", Assert.Single(owned.Outcomes).Action);
        Assert.Equal("ci", Assert.Single(owned.Manifests.ManagedFieldsOf(key)).Manager);
        Assert.Equal("unchanged", Assert.Single(same.Outcomes).Action);
        Assert.Empty(deleted.Manifests.ManagedFields);
    }
}
