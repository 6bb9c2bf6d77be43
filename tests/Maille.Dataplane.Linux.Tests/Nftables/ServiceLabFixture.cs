namespace Maille.Dataplane.Linux.Tests.Nftables;

/// <summary>
/// One live lab shared by the tests of <see cref="ServiceProxyPacketTests"/> (built once: building is the slow part).
/// IP plan: node-1 198.18.0.11 with pods web-a and client, node-2 198.18.0.12 with web-b and web-c; external 198.18.0.2.
/// Without root nothing is built and each test skips (or fails under CI) through Privileged.Require.
/// </summary>
public sealed class ServiceLabFixture : IAsyncLifetime
{
    public const string Yaml = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: app}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-a, namespace: app, labels: {app: web, solo: a}}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-b, namespace: app, labels: {app: web, solo: b}}
        spec: {nodeName: node-2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-c, namespace: app, labels: {app: web}}
        spec: {nodeName: node-2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: app, labels: {app: client}}
        spec: {nodeName: node-1, containers: [{name: c}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: app}
        spec:
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web-np, namespace: app}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http, nodePort: 30080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: b-local, namespace: app}
        spec:
          type: NodePort
          externalTrafficPolicy: Local
          selector: {solo: b}
          ports: [{name: http, port: 80, targetPort: http, nodePort: 30082}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: sticky, namespace: app}
        spec:
          selector: {app: web}
          sessionAffinity: ClientIP
          ports: [{name: http, port: 80, targetPort: http}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: a-only, namespace: app}
        spec:
          selector: {solo: a}
          ports: [{name: http, port: 80, targetPort: http}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: dns, namespace: app}
        spec:
          selector: {app: web}
          ports: [{name: dns, port: 53, targetPort: 5353, protocol: UDP}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: empty, namespace: app}
        spec:
          selector: {app: nobody}
          ports: [{name: http, port: 80, targetPort: 8080}]

        """;

    internal ServiceLab? Lab { get; private set; }

    public async Task InitializeAsync()
    {
        if (Environment.IsPrivilegedProcess)
        {
            Lab = await ServiceLab.StartAsync(Yaml);
        }
    }

    public async Task DisposeAsync()
    {
        if (Lab is not null)
        {
            await Lab.DisposeAsync();
        }
    }
}
