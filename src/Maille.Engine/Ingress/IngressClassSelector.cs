using Maille.Model;

namespace Maille.Engine.Ingresses;

/// <summary>
/// Decides which Ingresses belong to Maille's controller (<see cref="MailleIngressController.ControllerName"/>):
/// <list type="number">
/// <item><c>spec.ingressClassName</c> set: ours when it names an IngressClass whose <c>spec.controller</c> is ours.</item>
/// <item>else the legacy <c>kubernetes.io/ingress.class</c> annotation, which the API reference asks controllers to
/// honour: ours when it names one of our IngressClasses, or is <see cref="MailleIngressController.LegacyClassName"/>.</item>
/// <item>else (no class at all): ours when exactly one IngressClass carries
/// <c>ingressclass.kubernetes.io/is-default-class: "true"</c> and it is ours, which is what admission would have
/// written into the Ingress. With more than one default class, admission refuses class-less Ingresses: none is served
/// and a problem says why.</item>
/// </list>
/// </summary>
internal static class IngressClassSelector
{
    public static IngressSelection Select(IEnumerable<IngressClass> classes, IEnumerable<Ingress> ingresses)
    {
        var all = classes.ToList();
        var ours = all.Where(c => c.Controller == MailleIngressController.ControllerName).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var defaults = all.Where(c => c.IsDefault).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var served = new List<Ingress>();
        var ignored = new List<IngressProblem>();
        var problems = new List<IngressProblem>();
        foreach (var ingress in ingresses.Order(IngressPrecedence.Instance))
        {
            var name = $"Ingress {ingress.Meta.QualifiedName}";
            if (ingress.IngressClassName is { } className)
            {
                if (ours.Contains(className))
                {
                    served.Add(ingress);
                }
                else
                {
                    ignored.Add(new IngressProblem(name, all.Any(c => c.Name == className)
                        ? $"its IngressClass {className} belongs to controller {all.First(c => c.Name == className).Controller ?? "<none>"}, not {MailleIngressController.ControllerName}"
                        : $"its IngressClass {className} does not exist"));
                }
            }
            else if (ingress.Meta.Annotations.Get(Ingress.LegacyClassAnnotation) is { } legacy)
            {
                if (ours.Contains(legacy) || legacy == MailleIngressController.LegacyClassName)
                {
                    served.Add(ingress);
                }
                else
                {
                    ignored.Add(new IngressProblem(name, $"its {Ingress.LegacyClassAnnotation} annotation names {legacy}, which is not a class of {MailleIngressController.ControllerName}"));
                }
            }
            else if (defaults.Count == 1 && ours.Contains(defaults[0].Name))
            {
                served.Add(ingress);
            }
            else if (defaults.Count > 1)
            {
                problems.Add(new IngressProblem(name, $"it names no IngressClass and {defaults.Count} IngressClasses are marked default ({string.Join(", ", defaults.Select(c => c.Name))}): Kubernetes admission refuses such an Ingress, so it is not served"));
            }
            else
            {
                ignored.Add(new IngressProblem(name, defaults.Count == 1
                    ? $"it names no IngressClass and the default class {defaults[0].Name} belongs to controller {defaults[0].Controller ?? "<none>"}"
                    : $"it names no IngressClass and no IngressClass is marked default (an IngressClass with controller {MailleIngressController.ControllerName} and the annotation {IngressClass.DefaultAnnotation}: \"true\" takes it)"));
            }
        }

        return new IngressSelection(served, ignored, problems);
    }
}
