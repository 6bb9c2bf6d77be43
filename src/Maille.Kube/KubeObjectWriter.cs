using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Maille.Engine.LoadBalancing;
using Maille.Engine.Workloads;
using Maille.Model;

namespace Maille.Kube;

/// <summary>
/// Turns planned model objects back into Kubernetes API objects (KubernetesClient's <c>V1*</c>) for
/// <c>-o json|yaml</c>, with every allocated field filled in.
/// </summary>
public static class KubeObjectWriter
{
    public static V1Node Write(Node node) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = Meta("Node", node.Meta, withSpec: true),
        Spec = new V1NodeSpec
        {
            PodCIDR = node.PodCidr?.ToString(),
            PodCIDRs = node.PodCidr is { } cidr ? [cidr.ToString()] : null,
            Unschedulable = node.Unschedulable ? true : null,
        },
        Status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Address = node.InternalIP?.ToString(), Type = "InternalIP" }, new V1NodeAddress { Address = node.Name, Type = "Hostname" }],
            Conditions = [new V1NodeCondition { Status = "True", Type = "Ready" }],
        },
    };

    public static V1Namespace Write(Namespace ns) => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = Meta("Namespace", ns.Meta),
        Status = new V1NamespaceStatus { Phase = "Active" },
    };

    public static V1Pod Write(Pod pod) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = Meta("Pod", pod.Meta, pod.Owner, withSpec: true),
        Spec = Write(pod.Spec),
        Status = new V1PodStatus
        {
            Phase = pod.Status.Phase,
            PodIP = pod.Status.PodIP?.ToString(),
            PodIPs = pod.Status.PodIPs.IsEmpty ? null : [.. pod.Status.PodIPs.Select(ip => new V1PodIP { Ip = ip.ToString() })],
            HostIP = pod.Status.HostIP?.ToString(),
            Conditions = pod.Status.Ready is { } ready ? [new V1PodCondition { Status = ready ? "True" : "False", Type = "Ready" }] : null,
        },
    };

    public static V1Service Write(Service service) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Meta("Service", service.Meta, withSpec: true),
        Spec = new V1ServiceSpec
        {
            Type = service.Type.ToString(),
            Selector = service.Selector?.ToDictionary(),
            ClusterIP = service.Headless ? "None" : service.ClusterIP?.ToString(),
            ClusterIPs = service.Headless ? ["None"] : service.ClusterIP is { } ip ? [ip.ToString()] : null,
            ExternalName = service.ExternalName,
            ExternalIPs = service.ExternalIPs.IsEmpty ? null : [.. service.ExternalIPs],
            LoadBalancerIP = service.LoadBalancerIP,
            LoadBalancerSourceRanges = service.LoadBalancerSourceRanges.IsEmpty ? null : [.. service.LoadBalancerSourceRanges],
            LoadBalancerClass = service.LoadBalancerClass,
            ExternalTrafficPolicy = service.Type is ServiceType.NodePort or ServiceType.LoadBalancer ? service.ExternalTrafficPolicy.ToString() : null,
            InternalTrafficPolicy = service.Type == ServiceType.ExternalName ? null : service.InternalTrafficPolicy.ToString(),
            SessionAffinity = service.SessionAffinityClientIP ? "ClientIP" : "None",
            SessionAffinityConfig = service.SessionAffinityClientIP
                ? new V1SessionAffinityConfig { ClientIP = new V1ClientIPConfig { TimeoutSeconds = service.SessionAffinityTimeoutSeconds } }
                : null,
            PublishNotReadyAddresses = service.PublishNotReadyAddresses ? true : null,
            AllocateLoadBalancerNodePorts = service.Type == ServiceType.LoadBalancer ? service.AllocateLoadBalancerNodePorts : null,
            HealthCheckNodePort = service.HealthCheckNodePort,
            Ports = service.Ports.IsEmpty ? null : [.. service.Ports.Select(p => new V1ServicePort
            {
                Name = p.Name,
                Protocol = p.Protocol.ToString(),
                Port = p.Port,
                TargetPort = p.TargetPort.IsNamed ? (IntOrString)p.TargetPort.Name! : (IntOrString)p.TargetPort.Number!.Value,
                NodePort = p.NodePort,
                AppProtocol = p.AppProtocol,
            })],
        },
        Status = new V1ServiceStatus
        {
            LoadBalancer = new V1LoadBalancerStatus
            {
                Ingress = service.LoadBalancerIngress.IsEmpty ? null : [.. service.LoadBalancerIngress.Select(ip => new V1LoadBalancerIngress { Ip = ip })],
            },
        },
    };

    public static V1EndpointSlice Write(EndpointSlice slice) => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        Metadata = Meta("EndpointSlice", slice.Meta),
        AddressType = slice.AddressType,
        Ports = slice.Ports.IsEmpty ? null : [.. slice.Ports.Select(p => new Discoveryv1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol.ToString(), AppProtocol = p.AppProtocol })],
        Endpoints = [.. slice.Endpoints.Select(e => new V1Endpoint
        {
            Addresses = [.. e.Addresses],
            Conditions = new V1EndpointConditions { Ready = e.Conditions.Ready, Serving = e.Conditions.Serving, Terminating = e.Conditions.Terminating },
            NodeName = e.NodeName,
            Hostname = e.Hostname,
            Zone = e.Zone,
            TargetRef = e.TargetPod is { } pod ? new V1ObjectReference { Kind = "Pod", NamespaceProperty = pod.Split('/')[0], Name = pod.Split('/')[1] } : null,
        })],
    };

    public static V1NetworkPolicy Write(NetworkPolicy policy) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = Meta("NetworkPolicy", policy.Meta, withSpec: true),
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = Write(policy.PodSelector),
            PolicyTypes = [.. new[] { PolicyDirection.Ingress, PolicyDirection.Egress }.Where(d => policy.EffectivePolicyTypes.HasFlag(d)).Select(d => d.ToString())],
            Ingress = policy.Ingress.IsEmpty ? null : [.. policy.Ingress.Select(r => new V1NetworkPolicyIngressRule { FromProperty = Peers(r), Ports = Ports(r) })],
            Egress = policy.Egress.IsEmpty ? null : [.. policy.Egress.Select(r => new V1NetworkPolicyEgressRule { To = Peers(r), Ports = Ports(r) })],
        },
    };

    public static V1Ingress Write(Ingress ingress) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "Ingress",
        Metadata = Meta("Ingress", ingress.Meta, withSpec: true),
        Spec = new V1IngressSpec
        {
            IngressClassName = ingress.IngressClassName,
            DefaultBackend = ingress.DefaultBackend is { } backend ? Write(backend) : null,
            Rules = ingress.Rules.IsEmpty ? null : [.. ingress.Rules.Select(r => new V1IngressRule
            {
                Host = r.Host,
                Http = r.Paths.IsEmpty ? null : new V1HTTPIngressRuleValue { Paths = [.. r.Paths.Select(p => new V1HTTPIngressPath { Backend = Write(p.Backend), PathType = p.PathType, Path = p.Path })] },
            })],
            Tls = ingress.Tls.IsEmpty ? null : [.. ingress.Tls.Select(t => new V1IngressTLS { Hosts = [.. t.Hosts], SecretName = t.SecretName })],
        },
        Status = new V1IngressStatus
        {
            LoadBalancer = new V1IngressLoadBalancerStatus
            {
                Ingress = ingress.LoadBalancerIngress.IsEmpty ? null : [.. ingress.LoadBalancerIngress.Select(a => System.Net.IPAddress.TryParse(a, out _)
                    ? new V1IngressLoadBalancerIngress { Ip = a }
                    : new V1IngressLoadBalancerIngress { Hostname = a })],
            },
        },
    };

    /// <summary>
    /// A Secret with its data, as the API server serves it to a caller allowed to read Secrets (<c>stringData</c> was
    /// merged into <c>data</c> when it was read).
    /// </summary>
    public static V1Secret Write(Secret secret) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = Meta("Secret", secret.Meta),
        Type = secret.Type,
        Data = secret.Data.IsEmpty ? null : secret.Data.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
    };

    public static V1IngressClass Write(IngressClass ingressClass) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "IngressClass",
        Metadata = Meta("IngressClass", ingressClass.Meta, withSpec: true),
        Spec = new V1IngressClassSpec
        {
            Controller = ingressClass.Controller,
            Parameters = ingressClass.Parameters is { } p ? new V1IngressClassParametersReference { ApiGroup = p.ApiGroup, Kind = p.Kind, Name = p.Name, Scope = p.Scope, NamespaceProperty = p.Namespace } : null,
        },
    };

    /// <summary>
    /// MetalLB's IPAddressPool (<c>metallb.io/v1beta1</c>; KubernetesClient has no type for it), with the defaults its
    /// CRD's schema gives (<c>autoAssign: true</c>, <c>avoidBuggyIPs: false</c>), as the API server stores it.
    /// </summary>
    /// <param name="usage">The status its controller writes (MetalLB's counts), when known.</param>
    public static JsonObject Write(IPAddressPool pool, PoolUsage? usage = null)
    {
        var spec = new JsonObject
        {
            ["addresses"] = new JsonArray([.. pool.Addresses.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["autoAssign"] = pool.AutoAssign,
            ["avoidBuggyIPs"] = pool.AvoidBuggyIPs,
        };
        if (pool.ServiceAllocation is { } allocation)
        {
            var written = new JsonObject { ["priority"] = allocation.Priority };
            SetList(written, "namespaces", allocation.Namespaces, n => JsonValue.Create(n));
            SetList(written, "namespaceSelectors", allocation.NamespaceSelectors, Json);
            SetList(written, "serviceSelectors", allocation.ServiceSelectors, Json);
            spec["serviceAllocation"] = written;
        }

        var served = CustomResource(IPAddressPool.Group, IPAddressPool.KindName, pool.Meta, spec);
        if (usage is not null)
        {
            served["status"] = new JsonObject
            {
                ["assignedIPv4"] = usage.AssignedIPv4,
                ["assignedIPv6"] = usage.AssignedIPv6,
                ["availableIPv4"] = usage.AvailableIPv4,
                ["availableIPv6"] = usage.AvailableIPv6,
            };
        }

        return served;
    }

    /// <summary>MetalLB's L2Advertisement (<c>metallb.io/v1beta1</c>).</summary>
    public static JsonObject Write(L2Advertisement advertisement)
    {
        var spec = new JsonObject();
        SetList(spec, "ipAddressPools", advertisement.IPAddressPools, p => JsonValue.Create(p));
        SetList(spec, "ipAddressPoolSelectors", advertisement.IPAddressPoolSelectors, Json);
        SetList(spec, "nodeSelectors", advertisement.NodeSelectors, Json);
        SetList(spec, "interfaces", advertisement.Interfaces, i => JsonValue.Create(i));
        return CustomResource(IPAddressPool.Group, L2Advertisement.KindName, advertisement.Meta, spec);
    }

    private static JsonObject CustomResource(string group, string kind, ObjectMeta meta, JsonObject spec) => new()
    {
        ["apiVersion"] = $"{group}/v1beta1",
        ["kind"] = kind,
        ["metadata"] = JsonNode.Parse(k8s.KubernetesJson.Serialize(Meta(kind, meta, withSpec: true))),
        ["spec"] = spec,
    };

    /// <summary>Sets <paramref name="name"/> to the items written as JSON, or leaves it out when there are none (as omitempty does).</summary>
    private static void SetList<T>(JsonObject target, string name, EquatableArray<T> items, Func<T, JsonNode?> write)
    {
        if (!items.IsEmpty)
        {
            target[name] = new JsonArray([.. items.Select(write)]);
        }
    }

    private static JsonNode? Json(LabelSelector selector) => JsonNode.Parse(k8s.KubernetesJson.Serialize(Write(selector)));

    /// <summary>
    /// A Deployment, ReplicaSet, StatefulSet or DaemonSet (apps/v1), with the status its controller would report. The
    /// four share one shape (metadata, selector, template, observed generation, counts); each kind adds only its own
    /// fields. The lab's controllers act on a change before it is served, so every generation is observed.
    /// </summary>
    public static object Write(Workload workload, WorkloadStatus counts)
    {
        var shape = new WorkloadShape(
            Meta(workload.Kind.ToString(), workload.Meta, workload.Owner, withSpec: true, workload.OwnerUid),
            Write(workload.Selector ?? LabelSelector.Everything),
            new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = Dictionary(workload.Template.Labels), Annotations = Dictionary(workload.Template.Annotations) },
                Spec = Write(workload.Template.Spec),
            });
        var observed = shape.Meta.Generation;
        int? minReady = workload.MinReadySeconds == 0 ? null : workload.MinReadySeconds;
        return workload.Kind switch
        {
            WorkloadKind.Deployment => Apps(shape, new V1Deployment
            {
                Spec = new V1DeploymentSpec
                {
                    Replicas = workload.Replicas,
                    Selector = shape.Selector,
                    Template = shape.Template,
                    Strategy = Write(workload.Strategy),
                    RevisionHistoryLimit = workload.RevisionHistoryLimit,
                    ProgressDeadlineSeconds = workload.ProgressDeadlineSeconds,
                    MinReadySeconds = minReady,
                    Paused = workload.Paused ? true : null,
                },
                Status = new V1DeploymentStatus
                {
                    ObservedGeneration = observed,
                    Replicas = counts.Current,
                    UpdatedReplicas = counts.Updated,
                    ReadyReplicas = counts.Ready,
                    AvailableReplicas = counts.Available,
                    UnavailableReplicas = counts.Unavailable == 0 ? null : counts.Unavailable,
                    Conditions = [.. DeploymentRollout.Conditions(workload, counts).Select(c => new V1DeploymentCondition
                    {
                        Type = c.Type,
                        Status = c.StatusText,
                        Reason = c.Reason,
                        Message = c.Message,
                        LastUpdateTime = c.Type == "Progressing" && c.Reason != "ProgressDeadlineExceeded" && DeploymentProgressRecord.Of(workload) is { } progress
                            ? progress.Since.UtcDateTime
                            : ConditionTime(workload, c),
                        LastTransitionTime = ConditionTime(workload, c),
                    })],
                },
            }),
            WorkloadKind.ReplicaSet => Apps(shape, new V1ReplicaSet
            {
                Spec = new V1ReplicaSetSpec { Replicas = workload.Replicas, Selector = shape.Selector, Template = shape.Template, MinReadySeconds = minReady },
                // Every pod is made with the template's labels: all are fully labeled.
                Status = new V1ReplicaSetStatus { ObservedGeneration = observed, Replicas = counts.Current, FullyLabeledReplicas = counts.Current, ReadyReplicas = counts.Ready, AvailableReplicas = counts.Available },
            }),
            WorkloadKind.StatefulSet => Apps(shape, new V1StatefulSet
            {
                Spec = new V1StatefulSetSpec
                {
                    Replicas = workload.Replicas,
                    Selector = shape.Selector,
                    Template = shape.Template,
                    ServiceName = workload.ServiceName,
                    UpdateStrategy = workload.UpdateStrategy.IsRollingUpdate
                        ? new V1StatefulSetUpdateStrategy { Type = workload.UpdateStrategy.Type, RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = workload.UpdateStrategy.Partition, MaxUnavailable = IntOrPercent(workload.UpdateStrategy.MaxUnavailable) } }
                        : new V1StatefulSetUpdateStrategy { Type = workload.UpdateStrategy.Type },
                    PodManagementPolicy = workload.PodManagementPolicy,
                    RevisionHistoryLimit = workload.RevisionHistoryLimit,
                    MinReadySeconds = minReady,
                },
                Status = new V1StatefulSetStatus
                {
                    ObservedGeneration = observed,
                    Replicas = counts.Current,
                    CurrentReplicas = counts.AtCurrentRevision,
                    UpdatedReplicas = counts.Updated,
                    ReadyReplicas = counts.Ready,
                    AvailableReplicas = counts.Available,
                    CurrentRevision = counts.CurrentRevision ?? Revision(workload),
                    UpdateRevision = counts.UpdateRevision ?? Revision(workload),
                    CollisionCount = 0,
                },
            }),
            _ => Apps(shape, new V1DaemonSet
            {
                Spec = new V1DaemonSetSpec
                {
                    Selector = shape.Selector,
                    Template = shape.Template,
                    UpdateStrategy = workload.UpdateStrategy.IsRollingUpdate
                        ? new V1DaemonSetUpdateStrategy { Type = workload.UpdateStrategy.Type, RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = IntOrPercent(workload.UpdateStrategy.MaxUnavailable), MaxSurge = IntOrPercent(workload.UpdateStrategy.MaxSurge) } }
                        : new V1DaemonSetUpdateStrategy { Type = workload.UpdateStrategy.Type },
                    RevisionHistoryLimit = workload.RevisionHistoryLimit,
                    MinReadySeconds = minReady,
                },
                Status = new V1DaemonSetStatus
                {
                    ObservedGeneration = observed,
                    DesiredNumberScheduled = counts.Desired,
                    CurrentNumberScheduled = counts.Current,
                    UpdatedNumberScheduled = counts.Updated,
                    NumberReady = counts.Ready,
                    NumberAvailable = counts.Available,
                    NumberUnavailable = counts.Unavailable == 0 ? null : counts.Unavailable,
                    NumberMisscheduled = 0,
                },
            }),
        };
    }

    /// <summary>
    /// A ControllerRevision (apps/v1): its revision and the template it records as the StatefulSet and DaemonSet
    /// controllers store it, a patch that replaces the set's template.
    /// </summary>
    public static V1ControllerRevision Write(ControllerRevision revision) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "ControllerRevision",
        Metadata = Meta("ControllerRevision", revision.Meta, revision.Owner, ownerUid: revision.OwnerUid),
        Revision = revision.Revision,
        Data = revision.Template is { } template
            ? new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["spec"] = new Dictionary<string, object>(StringComparer.Ordinal)
                {
                    ["template"] = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = Dictionary(template.Labels), Annotations = Dictionary(template.Annotations) },
                        Spec = Write(template.Spec),
                    },
                },
            }
            : null,
    };

    /// <summary>What every workload kind is written with: its metadata, selector and template.</summary>
    private sealed record WorkloadShape(V1ObjectMeta Meta, V1LabelSelector Selector, V1PodTemplateSpec Template);

    /// <summary>An apps/v1 object of the workload's kind with the shared metadata (the kind's own fields are already set).</summary>
    private static T Apps<T>(WorkloadShape shape, T written)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        written.ApiVersion = "apps/v1";
        written.Kind = typeof(T).Name[2..];
        written.Metadata = shape.Meta;
        return written;
    }

    /// <summary>
    /// When a Deployment condition last changed: an exceeded deadline when the lab's controller recorded it, else the
    /// Deployment's creation (the lab keeps no other condition history). A Progressing condition's
    /// <c>lastUpdateTime</c> is the last progress the lab's controller recorded (<see cref="DeploymentProgressRecord"/>).
    /// </summary>
    private static DateTime? ConditionTime(Workload deployment, DeploymentCondition condition) =>
        condition.Reason == "ProgressDeadlineExceeded" && DateTimeOffset.TryParse(deployment.Meta.Annotations.Get(DeploymentRollout.ProgressDeadlineExceededAnnotation), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var exceeded)
            ? exceeded.UtcDateTime
            : deployment.Meta.CreationTimestamp?.UtcDateTime;

    /// <summary>A StatefulSet's revision: <c>name-{template hash}</c>, as a ControllerRevision is named.</summary>
    private static string Revision(Workload workload) => DeploymentRollout.NewReplicaSetName(workload);

    private static V1DeploymentStrategy Write(DeploymentStrategy strategy) => strategy.IsRollingUpdate
        ? new V1DeploymentStrategy { Type = strategy.Type, RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = IntOrPercent(strategy.MaxSurge), MaxUnavailable = IntOrPercent(strategy.MaxUnavailable) } }
        : new V1DeploymentStrategy { Type = strategy.Type };

    private static IntOrString IntOrPercent(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : value;

    private static Dictionary<string, string>? Dictionary(Labels labels) => labels.Count == 0 ? null : labels.ToDictionary();

    private static V1PodSpec Write(PodSpec spec) => new()
    {
        NodeName = spec.NodeName,
        NodeSelector = spec.NodeSelector.Count == 0 ? null : spec.NodeSelector.ToDictionary(),
        HostNetwork = spec.HostNetwork ? true : null,
        Hostname = spec.Hostname,
        Subdomain = spec.Subdomain,
        ServiceAccountName = spec.ServiceAccountName,
        Containers = [.. spec.Containers.Select(c => Write(c))],
    };

    private static V1IngressBackend Write(IngressBackend backend) => new()
    {
        Service = backend.Service is { } s
            ? new V1IngressServiceBackend { Name = s.Name, Port = s.Port is { } port ? (port.IsNamed ? new V1ServiceBackendPort { Name = port.Name } : new V1ServiceBackendPort { Number = port.Number }) : null }
            : null,
        Resource = backend.Resource is { } r ? new V1TypedLocalObjectReference { Kind = r.Split('/')[0], Name = r.Split('/')[^1] } : null,
    };

    private static List<V1NetworkPolicyPeer>? Peers(NetworkPolicyRule rule) => rule.Peers.IsEmpty ? null : [.. rule.Peers.Select(p => new V1NetworkPolicyPeer
    {
        PodSelector = p.PodSelector is null ? null : Write(p.PodSelector),
        NamespaceSelector = p.NamespaceSelector is null ? null : Write(p.NamespaceSelector),
        IpBlock = p.IpBlock is null ? null : new V1IPBlock { Cidr = p.IpBlock.Cidr, Except = p.IpBlock.Except.IsEmpty ? null : [.. p.IpBlock.Except] },
    })];

    private static List<V1NetworkPolicyPort>? Ports(NetworkPolicyRule rule) => rule.Ports.IsEmpty ? null : [.. rule.Ports.Select(p => new V1NetworkPolicyPort
    {
        Protocol = p.Protocol.ToString(),
        Port = p.Port is { } port ? (port.IsNamed ? (IntOrString)port.Name! : (IntOrString)port.Number!.Value) : null,
        EndPort = p.EndPort,
    })];

    private static V1LabelSelector Write(LabelSelector selector) => new()
    {
        MatchLabels = selector.MatchLabels.Count == 0 ? null : selector.MatchLabels.ToDictionary(),
        MatchExpressions = selector.MatchExpressions.IsEmpty ? null : [.. selector.MatchExpressions.Select(e => new V1LabelSelectorRequirement { Key = e.Key, OperatorProperty = e.RawOperator, Values = e.Values.IsEmpty ? null : [.. e.Values] })],
    };

    private static V1Container Write(Container container) => new()
    {
        Name = container.Name,
        Image = container.Image,
        Command = container.Command.IsEmpty ? null : [.. container.Command],
        Args = container.Args.IsEmpty ? null : [.. container.Args],
        Ports = container.Ports.IsEmpty ? null : [.. container.Ports.Select(p => new V1ContainerPort { ContainerPort = p.Port, HostPort = p.HostPort, Name = p.Name, Protocol = p.Protocol.ToString() })],
        ReadinessProbe = container.ReadinessProbe is { } probe ? Write(probe) : null,
    };

    /// <summary>A readiness probe as the model keeps it: enough that a template read back (kubectl rollout undo) is the same template.</summary>
    private static V1Probe Write(Probe probe) => new()
    {
        Exec = probe.Kind == ProbeKind.Exec ? new V1ExecAction { Command = [.. probe.Command] } : null,
        HttpGet = probe.Kind == ProbeKind.HttpGet && probe.Port is { } httpPort ? new V1HTTPGetAction { Port = Write(httpPort), Path = probe.Path } : null,
        TcpSocket = probe.Kind == ProbeKind.TcpSocket && probe.Port is { } tcpPort ? new V1TCPSocketAction { Port = Write(tcpPort) } : null,
        Grpc = probe.Kind == ProbeKind.Grpc && probe.Port?.Number is { } grpcPort ? new V1GRPCAction { Port = grpcPort } : null,
        InitialDelaySeconds = probe.InitialDelaySeconds,
        PeriodSeconds = probe.PeriodSeconds,
        FailureThreshold = probe.FailureThreshold,
    };

    private static IntOrString Write(PortRef port) => port.IsNamed ? (IntOrString)port.Name! : (IntOrString)port.Number!.Value;

    /// <param name="owner">The controller that made the object; it was created at the same time (its pods and
    /// ReplicaSets take a workload's creation time), which its uid is derived from unless <paramref name="ownerUid"/> says.</param>
    /// <param name="withSpec">The kind has a spec, so a generation (1 unless the lab counted its spec's changes).</param>
    internal static V1ObjectMeta Meta(string kind, ObjectMeta meta, OwnerRef? owner = null, bool withSpec = false, string? ownerUid = null) => new()
    {
        Name = meta.Name,
        NamespaceProperty = meta.Namespace,
        Uid = ObjectUid.Of(kind, meta),
        Generation = withSpec ? Math.Max(meta.Generation, 1) : null,
        Labels = meta.Labels.Count == 0 ? null : meta.Labels.ToDictionary(),
        Annotations = meta.Annotations.Count == 0 ? null : meta.Annotations.ToDictionary(),
        DeletionTimestamp = meta.DeletionTimestamp?.UtcDateTime,
        CreationTimestamp = meta.CreationTimestamp?.UtcDateTime,
        OwnerReferences = owner is null ? null :
        [
            new V1OwnerReference
            {
                ApiVersion = "apps/v1",
                Kind = owner.Kind,
                Name = owner.Name,
                Uid = ownerUid ?? ObjectUid.Of(owner.Kind, meta.Namespace, owner.Name, meta.CreationTimestamp),
                Controller = true,
                BlockOwnerDeletion = true,
            },
        ],
    };

    private static Dictionary<string, string> ToDictionary(this Labels labels) => labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);

    internal static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
