using System.Text.Json.Nodes;
using Maille.Kube.Schema;

namespace Maille.Kube.Tests.Schema;

// A custom resource's unknown fields, judged by its own CRD's structural schema as the API server prunes them (and,
// with fieldValidation=Strict, refuses them): properties, maps (additionalProperties), lists (items), fields kept as
// they are (x-kubernetes-preserve-unknown-fields), and metadata as the API server's ObjectMeta.
public sealed class CustomResourceUnknownFieldsTests
{
    private static IReadOnlyList<string> Unknown(string kind, string json) =>
        UnknownFields.Of(JsonNode.Parse(json)!.AsObject(), KindNames.Find(kind)!);

    [Fact]
    public void An_HTTPRoute_field_its_CRD_lacks_is_named_with_its_path_and_every_field_it_has_passes()
    {
        Assert.Equal(
            ["metadata.labelz", "spec.rules[0].matchez", "spec.rules[0].backendRefs[0].wieght"],
            Unknown("httproute", """
                {"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute",
                 "metadata":{"name":"r","namespace":"shop","labels":{"any-key":"v"},"labelz":{}},
                 "spec":{"parentRefs":[{"name":"public","namespace":"edge","sectionName":"http"}],"hostnames":["shop.example"],
                         "rules":[{"matches":[{"path":{"type":"PathPrefix","value":"/api"},"headers":[{"name":"x","value":"1"}]}],"matchez":[],
                                   "filters":[{"type":"RequestHeaderModifier","requestHeaderModifier":{"set":[{"name":"a","value":"b"}]}}],
                                   "backendRefs":[{"name":"api","port":80,"weight":90,"wieght":1}],"timeouts":{"request":"5s"}}]}}
                """));
    }

    [Fact]
    public void Maps_and_the_status_the_lab_writes_are_known_and_every_kind_with_a_CRD_is_judged_by_it()
    {
        Assert.Empty(Unknown("clusternetworkpolicy", """
            {"apiVersion":"policy.networking.k8s.io/v1alpha2","kind":"ClusterNetworkPolicy","metadata":{"name":"p"},
             "spec":{"tier":"Admin","priority":1,"subject":{"namespaces":{"matchLabels":{"any/key":"v"}}},
                     "egress":[{"action":"Deny","to":[{"networks":["198.18.0.0/16"]}],"protocols":[{"tcp":{"destinationPort":{"range":{"start":1,"end":2}}}}]}]},
             "status":{"conditions":[{"type":"Ready-In-Zone-node-1","status":"True","reason":"SetupSucceeded","message":"m","lastTransitionTime":"2026-01-01T00:00:00Z","observedGeneration":1}]}}
            """));
        Assert.Equal(["spec.tierz"], Unknown("cnp", """{"apiVersion":"policy.networking.k8s.io/v1alpha2","kind":"ClusterNetworkPolicy","metadata":{"name":"p"},"spec":{"tierz":"Admin"}}"""));
        Assert.Equal(["spec.ports"], Unknown("anp", """{"apiVersion":"policy.networking.k8s.io/v1alpha1","kind":"AdminNetworkPolicy","metadata":{"name":"p"},"spec":{"priority":1,"ports":[]}}"""));
        Assert.Equal(["spec.adresses"], Unknown("ipaddresspools", """{"apiVersion":"metallb.io/v1beta1","kind":"IPAddressPool","metadata":{"name":"p","namespace":"metallb-system"},"spec":{"addresses":["198.18.255.0/28"],"adresses":[]}}"""));
    }
}
