using System.Globalization;
using k8s;
using k8s.Models;
using Maille.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Maille.Kube;

/// <summary>
/// Reads manifests (multi-document YAML or JSON, <c>kind: List</c>, <c>kubectl get -o yaml</c> dumps) into a
/// <see cref="ManifestSet"/>, collecting every problem with its file and line instead of stopping at the first.
/// </summary>
internal sealed class ManifestLoader
{
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly ModelConverter _converter;
    private readonly List<Namespace> _namespaces = [];
    private readonly List<Node> _nodes = [];
    private readonly List<Pod> _pods = [];
    private readonly List<Workload> _workloads = [];
    private readonly List<Service> _services = [];
    private readonly List<EndpointSlice> _slices = [];
    private readonly List<NetworkPolicy> _policies = [];
    private readonly List<Ingress> _ingresses = [];
    private readonly List<IngressClass> _ingressClasses = [];
    private readonly List<Secret> _secrets = [];
    private readonly List<SkippedObject> _skipped = [];

    public ManifestLoader() => _converter = new ModelConverter(_diagnostics);

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    public static (ManifestSet Manifests, IReadOnlyList<Diagnostic> Diagnostics) Load(IEnumerable<ManifestSource> sources)
    {
        var loader = new ManifestLoader();
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
            stream.Load(new StringReader(source.Text));
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

        foreach (var document in stream.Documents)
        {
            AddNode(source, document.RootNode, null);
        }
    }

    public ManifestSet Build() => new()
    {
        Namespaces = new(_namespaces),
        Nodes = new(_nodes),
        Pods = new(_pods),
        Workloads = new(_workloads),
        Services = new(_services),
        EndpointSlices = new(_slices),
        NetworkPolicies = new(_policies),
        Ingresses = new(_ingresses),
        IngressClasses = new(_ingressClasses),
        Secrets = new(_secrets),
        Skipped = new(_skipped),
    };

    private void AddNode(ManifestSource source, YamlNode? node, string? listPath)
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
                    AddNode(source, item, "items");
                }
            }

            return;
        }

        var metadata = Child(mapping, "metadata") as YamlMappingNode;
        var name = metadata is null ? null : Scalar(metadata, "name");
        var ns = metadata is null ? null : Scalar(metadata, "namespace");
        var location = new SourceLocation(source.Name, line, new YamlFieldLineMap(node));
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var nsOrDefault = string.IsNullOrEmpty(ns) ? "default" : ns;

        try
        {
            switch ((group, kind))
            {
                case ("", "Namespace"):
                    _namespaces.Add(_converter.ConvertNamespace(Read<V1Namespace>(source, node), location));
                    break;
                case ("", "Node"):
                    _nodes.Add(_converter.ConvertNode(Read<V1Node>(source, node), location));
                    break;
                case ("", "Pod"):
                    _pods.Add(_converter.ConvertPod(Read<V1Pod>(source, node), nsOrDefault, location));
                    break;
                case ("", "Service"):
                    _services.Add(_converter.ConvertService(Read<V1Service>(source, node), nsOrDefault, location));
                    break;
                case ("", "Secret"):
                    _secrets.Add(_converter.ConvertSecret(Read<V1Secret>(source, node), nsOrDefault, location));
                    break;
                case ("apps", "Deployment"):
                    var deployment = Read<V1Deployment>(source, node);
                    _workloads.Add(_converter.ConvertWorkload(WorkloadKind.Deployment, deployment.Metadata, deployment.Spec?.Replicas, deployment.Spec?.Selector, deployment.Spec?.Template, null, nsOrDefault, location));
                    break;
                case ("apps", "ReplicaSet"):
                    var replicaSet = Read<V1ReplicaSet>(source, node);
                    _workloads.Add(_converter.ConvertWorkload(WorkloadKind.ReplicaSet, replicaSet.Metadata, replicaSet.Spec?.Replicas, replicaSet.Spec?.Selector, replicaSet.Spec?.Template, null, nsOrDefault, location));
                    break;
                case ("apps", "StatefulSet"):
                    var statefulSet = Read<V1StatefulSet>(source, node);
                    _workloads.Add(_converter.ConvertWorkload(WorkloadKind.StatefulSet, statefulSet.Metadata, statefulSet.Spec?.Replicas, statefulSet.Spec?.Selector, statefulSet.Spec?.Template, statefulSet.Spec?.ServiceName, nsOrDefault, location));
                    break;
                case ("apps", "DaemonSet"):
                    var daemonSet = Read<V1DaemonSet>(source, node);
                    _workloads.Add(_converter.ConvertWorkload(WorkloadKind.DaemonSet, daemonSet.Metadata, null, daemonSet.Spec?.Selector, daemonSet.Spec?.Template, null, nsOrDefault, location));
                    break;
                case ("discovery.k8s.io", "EndpointSlice"):
                    _slices.Add(_converter.ConvertEndpointSlice(Read<V1EndpointSlice>(source, node), nsOrDefault, location));
                    break;
                case ("networking.k8s.io", "NetworkPolicy"):
                    _policies.Add(_converter.ConvertNetworkPolicy(Read<V1NetworkPolicy>(source, node), nsOrDefault, location));
                    break;
                case ("networking.k8s.io", "Ingress"):
                    _ingresses.Add(_converter.ConvertIngress(Read<V1Ingress>(source, node), nsOrDefault, location));
                    break;
                case ("networking.k8s.io", "IngressClass"):
                    _ingressClasses.Add(_converter.ConvertIngressClass(Read<V1IngressClass>(source, node), location));
                    break;
                default:
                    _skipped.Add(new SkippedObject(apiVersion, kind, ns, name, location));
                    break;
            }
        }
        catch (YamlException e)
        {
            var errorLine = line + (int)e.Start.Line - 1;
            _diagnostics.Add(new Diagnostic
            {
                Type = FieldErrorType.Invalid,
                File = source.Name,
                Line = errorLine,
                Object = new ObjectRef(kind, IsClusterScoped(kind) ? null : nsOrDefault, name ?? ""),
                Detail = $"cannot be read as {apiVersion} {kind}: {InnermostMessage(e)}",
            });
        }
    }

    /// <summary>
    /// Deserializes one object with KubernetesClient's YAML support, from the exact text of its node so that the
    /// client's own parser sees what the user wrote (indentation restored for items inside a List).
    /// </summary>
    private static T Read<T>(ManifestSource source, YamlNode node)
    {
        var start = (int)node.Start.Index;
        var end = Math.Min((int)EndOf(node, source.Text), source.Text.Length);
        var text = new string(' ', (int)node.Start.Column - 1) + source.Text[start..end];
        return KubernetesYaml.Deserialize<T>(text);
    }

    /// <summary>
    /// The index just past a node's text. YamlDotNet ends a collection where it starts (at its first token), so the
    /// real end is that of its last descendant, plus the closing bracket of a flow collection (<c>[a, b]</c>,
    /// <c>{}</c>): without it an object ending in <c>values: [db]</c> would be cut short and fail to parse, and one
    /// ending in <c>- {}</c> (an allow-all NetworkPolicy rule) would read that item as null.
    /// </summary>
    private static long EndOf(YamlNode node, string text)
    {
        var end = node.End.Index;
        var last = node switch
        {
            YamlMappingNode { Children.Count: > 0 } mapping => mapping.Children.Last().Value,
            YamlSequenceNode { Children.Count: > 0 } sequence => sequence.Children[^1],
            _ => null,
        };
        if (last is not null)
        {
            end = Math.Max(end, EndOf(last, text));
        }

        var close = node switch
        {
            YamlSequenceNode { Style: YamlDotNet.Core.Events.SequenceStyle.Flow } => ']',
            YamlMappingNode { Style: YamlDotNet.Core.Events.MappingStyle.Flow } => '}',
            _ => '\0',
        };
        if (close != '\0')
        {
            // Only separators may stand between the last item and the bracket; stop at anything else, so an end
            // that already includes the bracket is left alone.
            // An empty one ({} or []) ends at its own opening bracket: look just past it.
            var at = last is null ? (int)node.Start.Index + 1 : (int)end;
            while (at < text.Length && (char.IsWhiteSpace(text[at]) || text[at] == ','))
            {
                at++;
            }

            end = at < text.Length && text[at] == close ? at + 1 : end;
        }

        return end;
    }

    private static bool IsClusterScoped(string kind) => kind is "Namespace" or "Node" or "IngressClass";

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
