using System.Globalization;
using k8s.Models;
using Maille.Model;

namespace Maille.Kube;

/// <summary>
/// The KubernetesClient boundary: turns <c>V1*</c> objects into Maille's immutable model. Client types never travel
/// further than this class. It reports nothing: each kind's validator in <c>Validation/</c> has already reported every
/// field error, in the API server's words, before the object is converted. The loader keeps invalid objects too (the
/// planner refuses the set as a whole), so conversion is total: a value the validator refused becomes the fallback
/// Kubernetes would default to (TCP, Cluster, ClusterIP) and nothing throws.
/// </summary>
internal static partial class ModelConverter
{
    private static ObjectMeta Meta(V1ObjectMeta? meta, string? ns, SourceLocation source) => new()
    {
        Name = meta?.Name ?? "",
        Namespace = ns,
        Labels = Labels.From(meta?.Labels),
        Annotations = Labels.From(meta?.Annotations),
        DeletionTimestamp = meta?.DeletionTimestamp is { } deleted ? new DateTimeOffset(DateTime.SpecifyKind(deleted, DateTimeKind.Utc)) : null,
        CreationTimestamp = meta?.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
        Uid = string.IsNullOrEmpty(meta?.Uid) ? null : meta.Uid,
        Generation = meta?.Generation ?? 0,
        Source = source,
    };

    /// <summary>A selector operator as the model knows it, or null for one Kubernetes does not.</summary>
    public static SelectorOperator? OperatorOf(string? text) => text switch
    {
        "In" => SelectorOperator.In,
        "NotIn" => SelectorOperator.NotIn,
        "Exists" => SelectorOperator.Exists,
        "DoesNotExist" => SelectorOperator.DoesNotExist,
        _ => null,
    };

    public static LabelSelector? Selector(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return null;
        }

        var requirements = (selector.MatchExpressions ?? []).Select(expression => new LabelSelectorRequirement(
            expression.Key ?? "", OperatorOf(expression.OperatorProperty), new EquatableArray<string>(expression.Values ?? []), expression.OperatorProperty ?? ""));
        return new LabelSelector { MatchLabels = Labels.From(selector.MatchLabels), MatchExpressions = new(requirements) };
    }

    private static EquatableArray<LabelSelector> Selectors(List<V1LabelSelector>? selectors) =>
        new((selectors ?? []).Select(s => Selector(s) ?? LabelSelector.Everything));

    /// <summary>A protocol, TCP when absent or not one Kubernetes knows.</summary>
    public static Protocol ProtocolOf(string? protocol) => protocol switch
    {
        "UDP" => Protocol.UDP,
        "SCTP" => Protocol.SCTP,
        _ => Protocol.TCP,
    };

    /// <summary>Reads an IntOrString port: a number, or a port name.</summary>
    public static PortRef? PortRefOf(IntOrString? value)
    {
        if (value?.Value is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? PortRef.FromNumber(number) : PortRef.FromName(text);
    }

    /// <summary>The controlling owner a dump records (<c>ownerReferences</c> with <c>controller: true</c>, else the first).</summary>
    private static OwnerRef? ControllerOf(V1ObjectMeta? meta) =>
        (meta?.OwnerReferences ?? []).Where(o => o is not null).OrderByDescending(o => o.Controller == true)
            .Select(o => new OwnerRef(o.Kind ?? "", o.Name ?? "")).FirstOrDefault();

    /// <summary>The uid <see cref="ControllerOf"/>'s owner reference records, if any.</summary>
    private static string? ControllerUidOf(V1ObjectMeta? meta) =>
        (meta?.OwnerReferences ?? []).Where(o => o is not null).OrderByDescending(o => o.Controller == true)
            .Select(o => string.IsNullOrEmpty(o.Uid) ? null : o.Uid).FirstOrDefault();
}
