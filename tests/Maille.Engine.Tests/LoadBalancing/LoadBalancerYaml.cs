namespace Maille.Engine.Tests.LoadBalancing;

/// <summary>Builds the manifests the load balancer tests plan: Services, pools and advertisements in a few words.</summary>
internal static class LoadBalancerYaml
{
    /// <summary>A LoadBalancer Service; <paramref name="extra"/> is more of its spec (flow style), <paramref name="annotations"/> flow-style too.</summary>
    public static string Service(string name, string ns = "default", string ports = "[{port: 80}]", string? extra = null,
        string? annotations = null, string? labels = null, string selector = "{app: web}", string? status = null) => $$"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {{name}}
          namespace: {{ns}}
        {{(annotations is null ? "" : $"  annotations: {annotations}\n")}}{{(labels is null ? "" : $"  labels: {labels}\n")}}spec:
          type: LoadBalancer
          selector: {{selector}}
          ports: {{ports}}
        {{(extra is null ? "" : $"  {extra}\n")}}{{(status is null ? "" : $"status: {status}\n")}}---

        """;

    public static string Pool(string name, string addresses, string? spec = null, string? labels = null) => $$"""
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata:
          name: {{name}}
          namespace: metallb-system
        {{(labels is null ? "" : $"  labels: {labels}\n")}}spec:
          addresses: {{addresses}}
        {{(spec is null ? "" : $"  {spec}\n")}}---

        """;

    public static string Advertisement(string name, string spec = "{}") => $$"""
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {name: {{name}}, namespace: metallb-system}
        spec: {{spec}}
        ---

        """;

    /// <summary>A Deployment of <paramref name="replicas"/> pods labelled app=web, serving port 80.</summary>
    public static string Web(int replicas = 3, string ns = "default", string app = "web") => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{{app}}}, namespace: {{{ns}}}}
        spec:
          replicas: {{{replicas}}}
          selector: {matchLabels: {app: {{{app}}}}}
          template:
            metadata: {labels: {app: {{{app}}}}}
            spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}
        ---

        """;
}
