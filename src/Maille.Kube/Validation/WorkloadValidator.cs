using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>
/// Deployment, ReplicaSet, StatefulSet and DaemonSet: a StatefulSet's pod management policy and update strategy,
/// replicas, the selector and whether it matches the template's labels (each kind in its own order and words), the pod
/// template, then a Deployment's strategy or a DaemonSet's update strategy.
/// </summary>
internal static class WorkloadValidator
{
    public static void Validate(WorkloadManifest workload, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var kind = workload.Kind;
        var selector = workload.Selector;
        var template = workload.Template;
        var errors = ObjectMetaValidator.Validate(kind.ToString(), ns, workload.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        if (kind == WorkloadKind.StatefulSet)
        {
            StatefulSetPolicies(errors, workload);
        }

        if (workload.Replicas is < 0)
        {
            errors.Invalid("spec.replicas", workload.Replicas.Value, "must be greater than or equal to 0");
        }

        var selectorIsValid = LabelSelectorValidator.Validate(errors, selector, "spec.selector");
        var modelSelector = ModelConverter.Selector(selector);

        // Deployment, ReplicaSet and StatefulSet require a selector and refuse an empty one before looking at the
        // template; DaemonSet does neither up front, compares first and refuses an empty selector after.
        if (kind != WorkloadKind.DaemonSet)
        {
            if (modelSelector is null)
            {
                errors.Required("spec.selector");
            }
            else if (modelSelector.IsEmpty)
            {
                EmptySelector(errors, kind, selector!);
            }
        }

        // An invalid selector cannot be turned into one (LabelSelectorAsSelector fails): Deployment and ReplicaSet say
        // "invalid label selector", StatefulSet says nothing more, DaemonSet stays silent; none compares it with the
        // template.
        if (!selectorIsValid && kind is not WorkloadKind.DaemonSet)
        {
            errors.Invalid("spec.selector", SelectorLiteral(selector!), kind == WorkloadKind.StatefulSet ? "" : "invalid label selector");
        }

        // An absent selector selects nothing, so it never matches the template (the API server reports both that and
        // the missing selector); an empty one matches everything.
        var templateLabels = Labels.From(template?.Metadata?.Labels);
        if (selectorIsValid && (modelSelector is null || (!modelSelector.IsEmpty && !modelSelector.Matches(templateLabels))))
        {
            errors.Invalid("spec.template.metadata.labels", GoLiteral.Map(template?.Metadata?.Labels), "`selector` does not match template `labels`");
        }

        if (kind == WorkloadKind.DaemonSet && modelSelector is { IsEmpty: true })
        {
            EmptySelector(errors, kind, selector!);
        }

        ObjectMetaValidator.ValidateLabels(errors, template?.Metadata?.Labels, "spec.template.metadata.labels");
        PodSpecValidator.Validate(errors, template?.Spec, "spec.template.spec");

        // A Deployment's and a DaemonSet's strategy come after the template, and are refused as "not supported" where
        // a StatefulSet's is "invalid".
        if (kind == WorkloadKind.Deployment && workload.Strategy?.Type is { Length: > 0 } strategy && strategy is not ("Recreate" or "RollingUpdate"))
        {
            errors.NotSupported("spec.strategy", Strategy("DeploymentStrategy", "RollingUpdateDeployment", strategy, workload.Strategy.RollingUpdate is not null), ["Recreate", "RollingUpdate"]);
        }

        if (kind == WorkloadKind.DaemonSet && workload.UpdateStrategyType is { Length: > 0 } type && type is not (SetUpdateStrategy.RollingUpdate or SetUpdateStrategy.OnDelete))
        {
            errors.NotSupported("spec.updateStrategy", Strategy("DaemonSetUpdateStrategy", "RollingUpdateDaemonSet", type, workload.HasRollingUpdate), [SetUpdateStrategy.RollingUpdate, SetUpdateStrategy.OnDelete]);
        }
    }

    /// <summary>
    /// A StatefulSet's <c>podManagementPolicy</c> and <c>updateStrategy.type</c>, checked first as the API server does.
    /// An absent or empty value is defaulted (OrderedReady, RollingUpdate) before validation, so only a written unknown
    /// one is refused.
    /// </summary>
    private static void StatefulSetPolicies(FieldErrors errors, WorkloadManifest set)
    {
        if (set.PodManagementPolicy is { Length: > 0 } policy && policy is not (Workload.OrderedReady or Workload.Parallel))
        {
            errors.Invalid("spec.podManagementPolicy", policy, $"must be '{Workload.OrderedReady}' or '{Workload.Parallel}'");
        }

        if (set.UpdateStrategyType is { Length: > 0 } type && type is not (SetUpdateStrategy.RollingUpdate or SetUpdateStrategy.OnDelete))
        {
            errors.Invalid("spec.updateStrategy", Strategy("StatefulSetUpdateStrategy", "RollingUpdateStatefulSetStrategy", type, set.HasRollingUpdate), $"must be '{SetUpdateStrategy.RollingUpdate}' or '{SetUpdateStrategy.OnDelete}'");
        }
    }

    /// <summary>
    /// An update strategy as Go's %#v prints the API server's internal type. A written <c>rollingUpdate</c> is a pointer,
    /// which Go prints as its memory address, different at each request: Maille writes <c>(…)</c> in its place.
    /// </summary>
    private static GoLiteral Strategy(string goType, string rollingUpdateType, string type, bool hasRollingUpdate) =>
        new($"apps.{goType}{{Type:{Diagnostic.Quote(type)}, RollingUpdate:(*apps.{rollingUpdateType})({(hasRollingUpdate ? "…" : "nil")})}}");

    /// <summary>"empty selector is invalid for …", with the selector as the API server prints it (%#v).</summary>
    private static void EmptySelector(FieldErrors errors, WorkloadKind kind, V1LabelSelector selector)
    {
        // ReplicaSet's check says "deployment" too: upstream copied the message.
        var what = kind switch
        {
            WorkloadKind.StatefulSet => "statefulset",
            WorkloadKind.DaemonSet => "daemonset",
            _ => "deployment",
        };
        errors.Invalid("spec.selector", SelectorLiteral(selector), $"empty selector is invalid for {what}");
    }

    /// <summary>A label selector as Go's %#v prints the API server's <c>v1.LabelSelector</c>.</summary>
    private static GoLiteral SelectorLiteral(V1LabelSelector selector)
    {
        var expressions = selector.MatchExpressions is not { Count: > 0 } list
            ? GoLiteral.EmptySlice("v1.LabelSelectorRequirement", selector.MatchExpressions is null).Text
            : "[]v1.LabelSelectorRequirement{" + string.Join(", ", list.Select(r =>
                $"v1.LabelSelectorRequirement{{Key:{Diagnostic.Quote(r.Key ?? "")}, Operator:{Diagnostic.Quote(r.OperatorProperty ?? "")}, Values:"
                + (r.Values is null ? "[]string(nil)" : "[]string{" + string.Join(", ", r.Values.Select(v => Diagnostic.Quote(v ?? ""))) + "}")
                + "}")) + "}";
        return new GoLiteral($"v1.LabelSelector{{MatchLabels:{GoLiteral.Map(selector.MatchLabels).Text}, MatchExpressions:{expressions}}}");
    }
}
