using System.CommandLine;
using System.Reflection;
using k8s;
using k8s.Models;
using Maille.Cli.Lab;
using Maille.Kube;
using Maille.Lab.Agent;
using Maille.Lab.Api;
using Maille.TestKit;

namespace Maille.Cli.Tests;

// deploy/ is what a real cluster runs (docs/real-cluster.md), and no cluster is here to try it: so the manifests are
// held to the code they configure. The ClusterRole is what the agent watches, the DaemonSets' arguments are ones
// `maille agent` parses, the ConfigMap's config is one it loads, the NodeAgent CRD is the one its report writes to.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DeployManifestTests
{
    private static readonly string Deploy = Path.Combine(Cluster.RepositoryRoot, "deploy");

    public static TheoryData<string> Manifests() =>
        new(Directory.EnumerateFiles(Deploy, "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Deploy, f)).Order(StringComparer.Ordinal));

    public static TheoryData<string> DaemonSets() => new("replace-kube-proxy/daemonset.yaml", "beside-kube-proxy/daemonset.yaml");

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_manifest_is_Kubernetes_YAML_with_only_known_fields(string file)
    {
        var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Deploy, file)), strict: true);

        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.False(string.IsNullOrEmpty(((IKubernetesObject)o).Kind)));
    }

    [Fact]
    public void The_ClusterRole_grants_what_the_agents_parts_watch_its_events_and_its_status_report_and_nothing_else()
    {
        var role = Single<V1ClusterRole>("common/02-clusterrole.yaml");
        var watched = AgentParts.Kinds(AgentParts.All.ToHashSet(StringComparer.Ordinal))
            .Select(ResourceOf)
            .SelectMany(r => new[] { "get", "list", "watch" }.Select(verb => $"{r.Group}/{r.Plural}:{verb}"));
        string[] writes =
        [
            "/events:create", "/events:patch", "events.k8s.io/events:create", "events.k8s.io/events:patch",
            "maille.dev/nodeagents/status:update",
            // The report's own needs on a real API server (NodeAgentStatusWriter): create the object on 404, read its version.
            "maille.dev/nodeagents:create", "maille.dev/nodeagents:get",
        ];

        var granted = role.Rules.SelectMany(rule =>
        {
            Assert.Null(rule.ResourceNames);
            Assert.Null(rule.NonResourceURLs);
            return from g in rule.ApiGroups from r in rule.Resources from v in rule.Verbs select $"{g}/{r}:{v}";
        });

        Assert.Equal(watched.Concat(writes).Order(StringComparer.Ordinal), granted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_binding_gives_the_ClusterRole_to_the_agents_ServiceAccount()
    {
        var account = Single<V1ServiceAccount>("common/01-serviceaccount.yaml");
        var binding = Single<V1ClusterRoleBinding>("common/03-clusterrolebinding.yaml");

        Assert.Equal(("ClusterRole", Single<V1ClusterRole>("common/02-clusterrole.yaml").Metadata.Name), (binding.RoleRef.Kind, binding.RoleRef.Name));
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", account.Metadata.Name, account.Metadata.NamespaceProperty), (subject.Kind, subject.Name, subject.NamespaceProperty));
    }

    [Theory]
    [MemberData(nameof(DaemonSets))]
    public void A_DaemonSets_arguments_are_ones_maille_agent_parses_for_the_node_it_runs_on(string file)
    {
        var container = Assert.Single(Single<V1DaemonSet>(file).Spec.Template.Spec.Containers);
        var command = AgentCommand.Create(new CliContext(TextReader.Null, TextWriter.Null, TextWriter.Null));

        var parse = new RootCommand { command }.Parse([.. container.Args]);

        Assert.Empty(parse.Errors);
        Assert.Same(command, parse.CommandResult.Command);
        Assert.Equal("$(NODE_NAME)", parse.GetValue<string>("--node"));
        Assert.True(parse.GetValue<bool>("--allow-host-network"));
        Assert.Null(AgentParts.Parse(parse.GetValue<string?>("--parts")).Error);
        var nodeName = Assert.Single(container.Env, e => e.Name == "NODE_NAME");
        Assert.Equal("spec.nodeName", nodeName.ValueFrom.FieldRef.FieldPath);
    }

    [Theory]
    [MemberData(nameof(DaemonSets))]
    public void A_DaemonSet_runs_on_every_nodes_own_network_with_two_capabilities_at_most_and_no_privilege(string file)
    {
        var daemonSet = Single<V1DaemonSet>(file);
        var pod = daemonSet.Spec.Template.Spec;
        var security = Assert.Single(pod.Containers).SecurityContext;

        Assert.Equal(("maille-agent", "maille-system", "maille-agent"), (daemonSet.Metadata.Name, daemonSet.Metadata.NamespaceProperty, pod.ServiceAccountName));
        Assert.Equal<(bool?, string, string)>((true, "ClusterFirstWithHostNet", "system-node-critical"), (pod.HostNetwork, pod.DnsPolicy, pod.PriorityClassName));
        Assert.Contains(pod.Tolerations, t => t is { OperatorProperty: "Exists", Key: null, Effect: null });
        Assert.Equal<(long?, bool?, bool?, bool?)>((0, false, false, true), (security.RunAsUser, security.Privileged, security.AllowPrivilegeEscalation, security.ReadOnlyRootFilesystem));
        Assert.Equal(["ALL"], security.Capabilities.Drop);
        Assert.Contains("NET_ADMIN", security.Capabilities.Add);
        Assert.Empty(security.Capabilities.Add.Except(["NET_ADMIN", "NET_RAW"]));
    }

    [Fact]
    public void The_DaemonSet_beside_kube_proxy_differs_only_in_running_the_policy_part_without_NET_RAW_through_the_kubernetes_Service()
    {
        var replacing = Single<V1DaemonSet>("replace-kube-proxy/daemonset.yaml");
        var beside = Single<V1DaemonSet>("beside-kube-proxy/daemonset.yaml");
        var container = beside.Spec.Template.Spec.Containers[0];
        var parts = container.Args.IndexOf("--parts");

        Assert.Equal(AgentParts.NetworkPolicy, container.Args[parts + 1]);
        Assert.Equal(["NET_ADMIN"], container.SecurityContext.Capabilities.Add);

        // Kube-proxy serves the API's ClusterIP there; the replacing agent is given the API server's own address.
        var replacingEnv = replacing.Spec.Template.Spec.Containers[0].Env;
        Assert.Equal(["KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT"], replacingEnv.Where(e => e.Name.StartsWith("KUBERNETES_", StringComparison.Ordinal)).Select(e => e.Name));
        Assert.DoesNotContain(container.Env, e => e.Name.StartsWith("KUBERNETES_", StringComparison.Ordinal));

        // Put back what the variant leaves out: then the two must be the same object, so a change to one is made to both.
        foreach (var apiAddress in replacingEnv.Where(e => e.Name.StartsWith("KUBERNETES_", StringComparison.Ordinal)).ToList())
        {
            replacingEnv.Remove(apiAddress);
        }

        container.Args.RemoveAt(parts);
        container.Args.RemoveAt(parts);
        container.SecurityContext.Capabilities.Add.Add("NET_RAW");
        Assert.Equal(KubernetesJson.Serialize(replacing), KubernetesJson.Serialize(beside));
    }

    [Fact]
    public void The_ConfigMaps_cluster_config_is_mounted_where_the_agent_reads_it_and_loads_without_diagnostics()
    {
        var configMap = Single<V1ConfigMap>("common/05-configmap.yaml");
        var pod = Single<V1DaemonSet>("replace-kube-proxy/daemonset.yaml").Spec.Template.Spec;
        var args = pod.Containers[0].Args;
        var configPath = args[args.IndexOf("--config") + 1];
        var mount = Assert.Single(pod.Containers[0].VolumeMounts, m => configPath.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        Assert.Equal(configMap.Metadata.Name, Assert.Single(pod.Volumes, v => v.Name == mount.Name).ConfigMap.Name);

        var (config, diagnostics) = ClusterConfigLoader.Load(configPath, configMap.Data[Path.GetFileName(configPath)]);

        Assert.Empty(diagnostics);
        Assert.NotNull(config);
    }

    [Fact]
    public void The_NodeAgent_CRD_serves_the_cluster_scoped_status_the_agent_reports_and_keeps_every_field_of_it()
    {
        var crd = Single<V1CustomResourceDefinition>("common/04-nodeagents-crd.yaml");
        var version = Assert.Single(crd.Spec.Versions);
        var status = version.Schema.OpenAPIV3Schema.Properties["status"];

        Assert.Equal(LabApiServer.MailleGroup, $"{crd.Spec.Group}/{version.Name}");
        Assert.Equal(("nodeagents", "NodeAgent", "Cluster"), (crd.Spec.Names.Plural, crd.Spec.Names.Kind, crd.Spec.Scope));
        Assert.True(version.Served && version.Storage);
        Assert.NotNull(version.Subresources.Status);
        Assert.True(status.XKubernetesPreserveUnknownFields);
        Assert.Contains(version.AdditionalPrinterColumns, c => c.JsonPath == ".status.repairs");
    }

    [Theory]
    [InlineData("metallb.io_ipaddresspools.yaml")]
    [InlineData("metallb.io_l2advertisements.yaml")]
    public void The_MetalLB_CRDs_in_deploy_are_the_ones_Maille_embeds(string file) =>
        Assert.Equal(
            File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "src/Maille.Kube/MetalLb/Crds", file)),
            File.ReadAllText(Path.Combine(Deploy, "metallb", file)));

    [Theory]
    [InlineData("gateway.networking.k8s.io_gatewayclasses.yaml")]
    [InlineData("gateway.networking.k8s.io_gateways.yaml")]
    [InlineData("gateway.networking.k8s.io_httproutes.yaml")]
    [InlineData("gateway.networking.k8s.io_grpcroutes.yaml")]
    [InlineData("gateway.networking.k8s.io_referencegrants.yaml")]
    public void The_Gateway_API_CRDs_in_deploy_are_the_ones_Maille_embeds(string file) =>
        Assert.Equal(
            File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "src/Maille.Kube/Gateway/Crds", file)),
            File.ReadAllText(Path.Combine(Deploy, "gateway-api", file)));

    [Theory]
    [InlineData("policy.networking.k8s.io_clusternetworkpolicies.yaml")]
    [InlineData("policy.networking.k8s.io_adminnetworkpolicies.yaml")]
    [InlineData("policy.networking.k8s.io_baselineadminnetworkpolicies.yaml")]
    [InlineData("README.md")]
    public void The_network_policy_api_CRDs_in_deploy_are_the_ones_Maille_embeds(string file) =>
        Assert.Equal(
            File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "src/Maille.Kube/Policy/Crds", file)),
            File.ReadAllText(Path.Combine(Deploy, "network-policy-api", file)));

    private static T Single<T>(string file) =>
        Assert.IsType<T>(Assert.Single(KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Deploy, file)), strict: true)));

    /// <summary>
    /// The API group and resource of a kind the agent watches: MetalLB's from their CRDs in deploy/metallb/, the built-in
    /// ones from KubernetesClient's v1 model types.
    /// </summary>
    private static (string Group, string Plural) ResourceOf(string kind)
    {
        var crd = Directory.EnumerateFiles(Path.Combine(Deploy, "metallb"), "*.yaml")
            .SelectMany(f => KubernetesYaml.LoadAllFromString(File.ReadAllText(f)).OfType<V1CustomResourceDefinition>())
            .SingleOrDefault(c => c.Spec.Names.Kind == kind);
        if (crd is not null)
        {
            return (crd.Spec.Group, crd.Spec.Names.Plural);
        }

        var entity = typeof(V1Node).Assembly.GetTypes()
            .Select(t => t.GetCustomAttribute<KubernetesEntityAttribute>())
            .SingleOrDefault(a => a is not null && a.Kind == kind && a.ApiVersion == "v1");
        if (entity is not null)
        {
            return (entity.Group, entity.PluralName);
        }

        // A kind neither KubernetesClient nor deploy/ defines (ClusterNetworkPolicy, network-policy-api's): the group and
        // plural Maille reads it under.
        var known = KindNames.All.Single(k => k.Kind == kind);
        return (known.Group, known.Plural);
    }
}
