using Maille.Engine.Ingresses;
using Maille.TestKit;

namespace Maille.Engine.Tests.Ingress;

/// <summary>Which Ingresses Maille serves: ingressClassName, the legacy annotation, and the default class.</summary>
public sealed class IngressClassSelectionTests
{
    private const string Classes = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: app}
        ---
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: maille}
        spec: {controller: maille.dev/ingress-controller}
        ---
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: nginx}
        spec: {controller: k8s.io/ingress-nginx}

        """;

    private static string Ingress(string name, string? className = null, string? legacy = null) => $$"""
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {{name}}
          namespace: app
          annotations: {{{(legacy is null ? "" : $"kubernetes.io/ingress.class: {legacy}")}}}
        spec:
          {{(className is null ? "" : $"ingressClassName: {className}")}}
          defaultBackend:
            service: {name: web, port: {number: 80} }

        """;

    private static string MarkDefault(string yaml, string className) => yaml.Replace(
        $"metadata: {{name: {className}}}",
        $"metadata: {{name: {className}, annotations: {{ingressclass.kubernetes.io/is-default-class: \"true\"}}}}",
        StringComparison.Ordinal);

    private static IngressSelection Select(string yaml)
    {
        var cluster = Cluster.Valid(yaml);
        return IngressClassSelector.Select(cluster.IngressClasses, cluster.Ingresses);
    }

    private static string[] Served(IngressSelection selection) => [.. selection.Served.Select(i => i.Meta.Name)];

    [Fact]
    public void An_ingressClassName_of_a_class_of_Maille_is_served_and_of_another_controller_is_not()
    {
        var selection = Select(Classes + Ingress("ours", "maille") + Ingress("theirs", "nginx") + Ingress("unknown", "nope"));
        Assert.Equal(["ours"], Served(selection));
        Assert.Contains(selection.Ignored, p => p.Object == "Ingress app/theirs" && p.Message.Contains("k8s.io/ingress-nginx", StringComparison.Ordinal));
        Assert.Contains(selection.Ignored, p => p.Object == "Ingress app/unknown" && p.Message.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void The_legacy_annotation_is_honoured_by_class_name_and_by_the_name_maille()
    {
        var yaml = Classes.Replace("name: maille}", "name: edge}", StringComparison.Ordinal)
            + Ingress("by-class", legacy: "edge") + Ingress("by-name", legacy: "maille") + Ingress("theirs", legacy: "nginx");
        Assert.Equal(["by-class", "by-name"], Served(Select(yaml)));
    }

    [Fact]
    public void The_class_field_wins_over_the_legacy_annotation()
    {
        Assert.Empty(Served(Select(Classes + Ingress("both", "nginx", legacy: "maille"))));
    }

    [Fact]
    public void A_class_less_Ingress_is_served_when_Maille_owns_the_only_default_class()
    {
        Assert.Equal(["plain"], Served(Select(MarkDefault(Classes, "maille") + Ingress("plain"))));
    }

    [Fact]
    public void A_class_less_Ingress_is_left_alone_when_the_default_class_is_another_controllers_or_there_is_none()
    {
        var theirs = Select(MarkDefault(Classes, "nginx") + Ingress("plain"));
        Assert.Empty(theirs.Served);
        Assert.Contains("default class nginx", theirs.Ignored.Single().Message, StringComparison.Ordinal);

        var none = Select(Classes + Ingress("plain"));
        Assert.Empty(none.Served);
        Assert.Contains("no IngressClass is marked default", none.Ignored.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_two_default_classes_a_class_less_Ingress_is_refused_as_admission_would()
    {
        var selection = Select(MarkDefault(MarkDefault(Classes, "maille"), "nginx") + Ingress("plain") + Ingress("named", "maille"));
        Assert.Equal(["named"], Served(selection));
        var problem = Assert.Single(selection.Problems);
        Assert.Equal("Ingress app/plain", problem.Object);
        Assert.Contains("2 IngressClasses are marked default (maille, nginx)", problem.Message, StringComparison.Ordinal);
    }
}
