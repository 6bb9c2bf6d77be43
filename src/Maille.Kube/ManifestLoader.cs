using System.Globalization;
using k8s.Models;
using Maille.Kube.Validation;
using Maille.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Maille.Kube;

/// <summary>
/// Reads manifests (multi-document YAML or JSON, <c>kind: List</c>, <c>kubectl get -o yaml</c> dumps) into a
/// <see cref="ManifestSet"/>, collecting every problem with its file and line instead of stopping at the first.
/// </summary>
public sealed class ManifestLoader
{
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly List<Namespace> _namespaces = [];
    private readonly List<Node> _nodes = [];
    private readonly List<Pod> _pods = [];
    private readonly List<Workload> _workloads = [];
    private readonly List<Service> _services = [];
    private readonly List<EndpointSlice> _slices = [];
    private readonly List<NetworkPolicy> _policies = [];
    private readonly List<ClusterNetworkPolicy> _clusterPolicies = [];
    private readonly List<AuthorizationPolicy> _authorizationPolicies = [];
    private readonly List<PeerAuthentication> _peerAuthentications = [];
    private readonly List<Ingress> _ingresses = [];
    private readonly List<IngressClass> _ingressClasses = [];
    private readonly List<Secret> _secrets = [];
    private readonly List<GatewayClass> _gatewayClasses = [];
    private readonly List<Model.Gateway> _gateways = [];
    private readonly List<HttpRoute> _httpRoutes = [];
    private readonly List<GrpcRoute> _grpcRoutes = [];
    private readonly List<ReferenceGrant> _referenceGrants = [];
    private readonly List<IPAddressPool> _addressPools = [];
    private readonly List<L2Advertisement> _l2Advertisements = [];
    private readonly List<ControllerRevision> _controllerRevisions = [];
    private readonly List<SkippedObject> _skipped = [];

    /// <summary>Below this many documents in one source, converting them one by one is cheaper than starting parallel work.</summary>
    private const int ParallelThreshold = 64;

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>
    /// Whether each model object keeps the line of every field (its document's YAML tree, for diagnostics found later:
    /// the planner's checks across objects). A node agent, whose objects come from the API and are checked here only,
    /// leaves them out: the tree costs more than the object.
    /// </summary>
    public bool KeepFieldLines { get; init; } = true;

    public static (ManifestSet Manifests, IReadOnlyList<Diagnostic> Diagnostics) Load(IEnumerable<ManifestSource> sources, bool keepFieldLines = true)
    {
        var loader = new ManifestLoader { KeepFieldLines = keepFieldLines };
        foreach (var source in sources)
        {
            loader.Add(source);
        }

        return (loader.Build(), loader.Diagnostics);
    }

    public void Add(ManifestSource source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new DepthLimitedParser(source.Text));
        }
        catch (YamlException e)
        {
            _diagnostics.Add(new Diagnostic
            {
                Type = FieldErrorType.Invalid,
                File = source.Name,
                Line = (int)e.Start.Line,
                Detail = $"not valid YAML: {InnermostMessage(e)}",
            });
            return;
        }

        var documents = stream.Documents;
        int End(int i) => Math.Min(i + 1 < documents.Count ? (int)documents[i + 1].RootNode.Start.Index : int.MaxValue, source.Text.Length);
        if (documents.Count < ParallelThreshold)
        {
            for (var i = 0; i < documents.Count; i++)
            {
                AddNode(source, documents[i].RootNode, null, End(i), null);
            }

            return;
        }

        // Converting an object (KubernetesClient's typed deserializer) costs several times parsing its text, and objects
        // are independent: large inputs are converted on every core, each document into its own part, and the parts
        // are joined in document order so that the result and its diagnostics are the same as one by one.
        var parts = new ManifestLoader[documents.Count];
        Parallel.For(0, documents.Count, i =>
        {
            var part = new ManifestLoader();
            part.AddNode(source, documents[i].RootNode, null, End(i), null);
            parts[i] = part;
        });
        foreach (var part in parts)
        {
            Append(part);
        }
    }

    /// <summary>
    /// Adds one object already parsed (a running lab's stored document), read from <paramref name="text"/>, its YAML on
    /// its own; lines in diagnostics are those of <paramref name="root"/> in <paramref name="file"/>.
    /// </summary>
    public void AddDocument(string file, YamlMappingNode root, string text) => AddNode(new ManifestSource(file, ""), root, null, null, text);

    /// <summary>Adds what another loader read, after what this one holds.</summary>
    public void Append(ManifestLoader other)
    {
        _diagnostics.AddRange(other._diagnostics);
        _namespaces.AddRange(other._namespaces);
        _nodes.AddRange(other._nodes);
        _pods.AddRange(other._pods);
        _workloads.AddRange(other._workloads);
        _services.AddRange(other._services);
        _slices.AddRange(other._slices);
        _policies.AddRange(other._policies);
        _clusterPolicies.AddRange(other._clusterPolicies);
        _authorizationPolicies.AddRange(other._authorizationPolicies);
        _peerAuthentications.AddRange(other._peerAuthentications);
        _ingresses.AddRange(other._ingresses);
        _ingressClasses.AddRange(other._ingressClasses);
        _secrets.AddRange(other._secrets);
        _gatewayClasses.AddRange(other._gatewayClasses);
        _gateways.AddRange(other._gateways);
        _httpRoutes.AddRange(other._httpRoutes);
        _grpcRoutes.AddRange(other._grpcRoutes);
        _referenceGrants.AddRange(other._referenceGrants);
        _addressPools.AddRange(other._addressPools);
        _l2Advertisements.AddRange(other._l2Advertisements);
        _controllerRevisions.AddRange(other._controllerRevisions);
        _skipped.AddRange(other._skipped);
    }

    public ManifestSet Build() => new()
    {
        Namespaces = new(_namespaces),
        Nodes = new(_nodes),
        Pods = new(_pods),
        Workloads = new(_workloads),
        ControllerRevisions = new(_controllerRevisions),
        Services = new(_services),
        EndpointSlices = new(_slices),
        NetworkPolicies = new(_policies),
        ClusterNetworkPolicies = new(_clusterPolicies),
        AuthorizationPolicies = new(_authorizationPolicies),
        PeerAuthentications = new(_peerAuthentications),
        Ingresses = new(_ingresses),
        IngressClasses = new(_ingressClasses),
        Secrets = new(_secrets),
        GatewayClasses = new(_gatewayClasses),
        Gateways = new(_gateways),
        HttpRoutes = new(_httpRoutes),
        GrpcRoutes = new(_grpcRoutes),
        ReferenceGrants = new(_referenceGrants),
        IPAddressPools = new(_addressPools),
        L2Advertisements = new(_l2Advertisements),
        Skipped = new(_skipped),
    };

    private void AddNode(ManifestSource source, YamlNode? node, string? listPath, int? textEnd, string? objectText)
    {
        if (node is null || (node is YamlScalarNode scalar && string.IsNullOrEmpty(scalar.Value)))
        {
            return;
        }

        var line = (int)node.Start.Line;
        if (node is not YamlMappingNode mapping)
        {
            Error(source, line, listPath, "expected a Kubernetes object (a mapping with apiVersion and kind)");
            return;
        }

        var kind = Scalar(mapping, "kind");
        var apiVersion = Scalar(mapping, "apiVersion");
        if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(apiVersion))
        {
            _diagnostics.Add(new Diagnostic
            {
                Type = FieldErrorType.Required,
                File = source.Name,
                Line = line,
                Field = string.IsNullOrEmpty(kind) ? "kind" : "apiVersion",
                Detail = "every object needs apiVersion and kind",
            });
            return;
        }

        if (kind.EndsWith("List", StringComparison.Ordinal) && Child(mapping, "items") is { } items)
        {
            if (items is YamlSequenceNode sequence)
            {
                foreach (var item in sequence.Children)
                {
                    AddNode(source, item, "items", null, null);
                }
            }

            return;
        }

        var metadata = Child(mapping, "metadata") as YamlMappingNode;
        var name = metadata is null ? null : Scalar(metadata, "name");
        var ns = metadata is null ? null : Scalar(metadata, "namespace");
        var location = new SourceLocation(source.Name, line, new YamlFieldLineMap(node));

        // Validation names fields' lines from the document; a model kept without them does not hold its YAML tree.
        var kept = KeepFieldLines ? location : location with { Fields = null };
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var nsOrDefault = string.IsNullOrEmpty(ns) ? "default" : ns;

        (Type Type, string Text)? reading = null;
        try
        {
            // Each kind is validated first (every field error, in the API server's words and order), then converted. An
            // invalid object is converted too: the checks across objects still see it, and one run reports every error.
            switch ((group, kind))
            {
                case ("", "Namespace"):
                    var namespaceObject = Read<V1Namespace>();
                    MetadataOnlyValidator.ValidateNamespace(namespaceObject, location, _diagnostics);
                    _namespaces.Add(ModelConverter.ConvertNamespace(namespaceObject, kept));
                    break;
                case ("", "Node"):
                    var nodeObject = Read<V1Node>();
                    NodeValidator.Validate(nodeObject, location, _diagnostics);
                    _nodes.Add(ModelConverter.ConvertNode(nodeObject, kept));
                    break;
                case ("", "Pod"):
                    var pod = Read<V1Pod>();
                    PodValidator.Validate(pod, nsOrDefault, location, _diagnostics);
                    _pods.Add(ModelConverter.ConvertPod(pod, nsOrDefault, kept));
                    break;
                case ("", "Service"):
                    var service = Read<V1Service>();
                    ServiceValidator.Validate(service, nsOrDefault, location, _diagnostics);
                    _services.Add(ModelConverter.ConvertService(service, nsOrDefault, kept));
                    break;
                case ("", "Secret"):
                    var secret = Read<V1Secret>();
                    SecretValidator.Validate(secret, nsOrDefault, location, _diagnostics);
                    _secrets.Add(ModelConverter.ConvertSecret(secret, nsOrDefault, kept));
                    break;
                case ("apps", "Deployment"):
                    AddWorkload(WorkloadManifest.Of(Read<V1Deployment>()));
                    break;
                case ("apps", "ReplicaSet"):
                    AddWorkload(WorkloadManifest.Of(Read<V1ReplicaSet>()));
                    break;
                case ("apps", "StatefulSet"):
                    AddWorkload(WorkloadManifest.Of(Read<V1StatefulSet>()));
                    break;
                case ("apps", "DaemonSet"):
                    AddWorkload(WorkloadManifest.Of(Read<V1DaemonSet>()));
                    break;
                case ("apps", "ControllerRevision"):
                    _controllerRevisions.Add(ModelConverter.ConvertControllerRevision(Read<ControllerRevisionDocument>(), nsOrDefault, kept));
                    break;
                case ("discovery.k8s.io", "EndpointSlice"):
                    var slice = Read<V1EndpointSlice>();
                    EndpointSliceValidator.Validate(slice, nsOrDefault, location, _diagnostics);
                    _slices.Add(ModelConverter.ConvertEndpointSlice(slice, nsOrDefault, kept));
                    break;
                case ("networking.k8s.io", "NetworkPolicy"):
                    var policy = Read<V1NetworkPolicy>();
                    NetworkPolicyValidator.Validate(policy, nsOrDefault, location, _diagnostics);
                    _policies.Add(ModelConverter.ConvertNetworkPolicy(policy, nsOrDefault, kept));
                    break;
                case (PolicyApi.Group, PolicyApi.ClusterNetworkPolicyKind) when apiVersion == PolicyApi.Group + "/v1alpha2":
                    var clusterPolicy = Read<Policy.ClusterNetworkPolicyDocument>();
                    ClusterNetworkPolicyValidator.Validate(clusterPolicy, location, _diagnostics);
                    _clusterPolicies.Add(ModelConverter.ConvertClusterNetworkPolicy(clusterPolicy, kept));
                    break;
                case (PolicyApi.Group, PolicyApi.AdminNetworkPolicyKind or PolicyApi.BaselineAdminNetworkPolicyKind) when apiVersion == PolicyApi.Group + "/v1alpha1":
                    var adminPolicy = Read<Policy.ClusterNetworkPolicyDocument>();
                    AdminNetworkPolicyValidator.Validate(adminPolicy, kind, location, _diagnostics);
                    _clusterPolicies.Add(ModelConverter.ConvertAdminNetworkPolicy(adminPolicy, kind, kept));
                    break;
                case (MeshApi.Group, MeshApi.AuthorizationPolicyKind) when apiVersion is MeshApi.Version or MeshApi.Group + "/v1beta1":
                    var authorization = Read<Mesh.AuthorizationPolicyDocument>();
                    AuthorizationPolicyValidator.Validate(authorization, nsOrDefault, location, _diagnostics);
                    _authorizationPolicies.Add(ModelConverter.ConvertAuthorizationPolicy(authorization, nsOrDefault, kept));
                    break;
                case (MeshApi.Group, MeshApi.PeerAuthenticationKind) when apiVersion is MeshApi.Version or MeshApi.Group + "/v1beta1":
                    var peerAuthentication = Read<Mesh.PeerAuthenticationDocument>();
                    PeerAuthenticationValidator.Validate(peerAuthentication, nsOrDefault, location, _diagnostics);
                    _peerAuthentications.Add(ModelConverter.ConvertPeerAuthentication(peerAuthentication, nsOrDefault, kept));
                    break;
                case ("networking.k8s.io", "Ingress"):
                    var ingress = Read<V1Ingress>();
                    IngressValidator.Validate(ingress, nsOrDefault, location, _diagnostics);
                    _ingresses.Add(ModelConverter.ConvertIngress(ingress, nsOrDefault, kept));
                    break;
                case ("networking.k8s.io", "IngressClass"):
                    var ingressClass = Read<V1IngressClass>();
                    MetadataOnlyValidator.ValidateIngressClass(ingressClass, location, _diagnostics);
                    _ingressClasses.Add(ModelConverter.ConvertIngressClass(ingressClass, kept));
                    break;
                case (IPAddressPool.Group, IPAddressPool.KindName):
                    var pool = Read<MetalLb.IPAddressPoolDocument>();
                    IPAddressPoolValidator.Validate(pool, nsOrDefault, location, _diagnostics);
                    _addressPools.Add(ModelConverter.ConvertIPAddressPool(pool, nsOrDefault, kept));
                    break;
                case (IPAddressPool.Group, L2Advertisement.KindName):
                    var advertisement = Read<MetalLb.L2AdvertisementDocument>();
                    L2AdvertisementValidator.Validate(advertisement, nsOrDefault, location, _diagnostics);
                    _l2Advertisements.Add(ModelConverter.ConvertL2Advertisement(advertisement, nsOrDefault, kept));
                    break;
                case (GatewayApi.Group, GatewayApi.GatewayClassKind):
                    var gatewayClass = Read<Gateway.GatewayClassDocument>();
                    GatewayClassValidator.Validate(gatewayClass, location, _diagnostics);
                    _gatewayClasses.Add(ModelConverter.ConvertGatewayClass(gatewayClass, kept));
                    break;
                case (GatewayApi.Group, GatewayApi.GatewayKind):
                    var gateway = Read<Gateway.GatewayDocument>();
                    GatewayValidator.Validate(gateway, nsOrDefault, location, _diagnostics);
                    _gateways.Add(ModelConverter.ConvertGateway(gateway, nsOrDefault, kept));
                    break;
                case (GatewayApi.Group, GatewayApi.HttpRouteKind):
                    var httpRoute = Read<Gateway.HttpRouteDocument>();
                    RouteValidator.ValidateHttp(httpRoute, nsOrDefault, location, _diagnostics);
                    _httpRoutes.Add(ModelConverter.ConvertHttpRoute(httpRoute, nsOrDefault, kept));
                    break;
                case (GatewayApi.Group, GatewayApi.GrpcRouteKind):
                    var grpcRoute = Read<Gateway.GrpcRouteDocument>();
                    RouteValidator.ValidateGrpc(grpcRoute, nsOrDefault, location, _diagnostics);
                    _grpcRoutes.Add(ModelConverter.ConvertGrpcRoute(grpcRoute, nsOrDefault, kept));
                    break;
                case (GatewayApi.Group, GatewayApi.ReferenceGrantKind):
                    var grant = Read<Gateway.ReferenceGrantDocument>();
                    ReferenceGrantValidator.Validate(grant, nsOrDefault, location, _diagnostics);
                    _referenceGrants.Add(ModelConverter.ConvertReferenceGrant(grant, nsOrDefault, kept));
                    break;
                default:
                    _skipped.Add(new SkippedObject(apiVersion, kind, ns, name, location));
                    break;
            }
        }
        catch (YamlException e)
        {
            var obj = new ObjectRef(kind, IsClusterScoped(kind) ? null : nsOrDefault, name ?? "");
            _diagnostics.Add(reading is var (type, text) && Root(text) is { } root && FieldTypeError.Find(root, e.Start, type) is { } field
                ? Diagnostic.For(FieldErrorType.Invalid, obj, location, field.Field, field.Value, field.Detail)
                : new Diagnostic
                {
                    Type = FieldErrorType.Invalid,
                    File = source.Name,
                    Line = textEnd is null ? line : line + (int)e.Start.Line - 1,
                    Object = obj,
                    Detail = $"cannot be read as {apiVersion} {kind}: {InnermostMessage(e)}",
                });
        }

        void AddWorkload(WorkloadManifest workload)
        {
            WorkloadValidator.Validate(workload, nsOrDefault, location, _diagnostics);
            _workloads.Add(ModelConverter.ConvertWorkload(workload, nsOrDefault, kept));
        }

        // Reads the object into KubernetesClient's typed model, keeping what it read: a value of the wrong type is then
        // reported on its field, found from the position YamlDotNet's error gives in that text (FieldTypeError).
        T Read<T>()
        {
            var text = ObjectText(source, node, textEnd, objectText);
            reading = (typeof(T), text);
            return KubeYamlDeserializer.Deserialize<T>(text);
        }
    }

    /// <summary>
    /// The text one object is deserialized from with KubernetesClient's YAML support. A top-level document is read from
    /// its own text (so the client's parser reports lines of the user's file); an item of a List is re-emitted on its
    /// own first, because YamlDotNet does not record where a block collection ends.
    /// </summary>
    private static string ObjectText(ManifestSource source, YamlNode node, int? textEnd, string? objectText)
    {
        string text;
        if (objectText is not null)
        {
            text = objectText;
        }
        else if (textEnd is { } end && end > node.Start.Index)
        {
            var start = (int)node.Start.Index;
            text = new string(' ', (int)node.Start.Column - 1) + source.Text[start..end];
            var separator = text.LastIndexOf("\n---", StringComparison.Ordinal);
            if (separator >= 0)
            {
                text = text[..separator];
            }
        }
        else
        {
            var writer = new StringWriter();
            new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
            text = writer.ToString();
        }

        return text;
    }

    /// <summary>The tree of an object's text as it was deserialized, so that positions in YamlDotNet's errors are positions in it.</summary>
    private static YamlNode? Root(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new DepthLimitedParser(text));
        }
        catch (YamlException)
        {
            return null;
        }

        return stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
    }

    internal static bool IsClusterScoped(string kind) => kind is "Namespace" or "Node" or "IngressClass" or GatewayApi.GatewayClassKind
        or PolicyApi.ClusterNetworkPolicyKind or PolicyApi.AdminNetworkPolicyKind or PolicyApi.BaselineAdminNetworkPolicyKind;

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;

    private void Error(ManifestSource source, int line, string? field, string detail) => _diagnostics.Add(new Diagnostic
    {
        Type = FieldErrorType.Invalid,
        File = source.Name,
        Line = line,
        Field = field,
        Detail = detail,
    });

    private static string InnermostMessage(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message.ToString(CultureInfo.InvariantCulture);
    }
}
