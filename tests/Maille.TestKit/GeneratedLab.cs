using System.Globalization;
using System.Text;

namespace Maille.TestKit;

/// <summary>
/// Manifests for a lab of any size, written to a temporary folder: <see cref="PodsPerNode"/> pods on each of
/// <see cref="Nodes"/> nodes (pinned with <c>nodeName</c>), each serving 80/TCP, labelled <c>tier=front</c> and
/// <c>tier=back</c> in turn, and, with <see cref="BackOnlyFromFront"/>, a NetworkPolicy that lets only front pods
/// reach back pods, so that a probe has both allowed and denied connections to compare with the engine. The
/// ClusterConfig's pod CIDRs are sized to hold the pods. Disposing deletes the folder.
/// </summary>
internal sealed class GeneratedLab : IDisposable
{
    private GeneratedLab(string folder) => Folder = folder;

    public required int Nodes { get; init; }

    public required int PodsPerNode { get; init; }

    public bool BackOnlyFromFront { get; init; }

    public string Folder { get; }

    public string PodsFile => Path.Combine(Folder, "pods.yaml");

    public string ConfigFile => Path.Combine(Folder, "config.yaml");

    public int PodCount => Nodes * PodsPerNode;

    /// <summary>Writes the manifests of <paramref name="nodes"/> × <paramref name="podsPerNode"/> pods.</summary>
    public static GeneratedLab Write(int nodes, int podsPerNode, bool backOnlyFromFront = false)
    {
        var lab = new GeneratedLab(Directory.CreateTempSubdirectory("maille-generated-").FullName)
        {
            Nodes = nodes,
            PodsPerNode = podsPerNode,
            BackOnlyFromFront = backOnlyFromFront,
        };
        var prefix = 30;
        while (prefix > 16 && (1L << (32 - prefix)) - 3 < podsPerNode)
        {
            prefix--;
        }

        File.WriteAllText(lab.ConfigFile, string.Create(CultureInfo.InvariantCulture,
            $"apiVersion: maille.dev/v1alpha1\nkind: ClusterConfig\nnodeCount: {nodes}\npodCIDRPrefix: {prefix}\n"));
        var yaml = new StringBuilder();
        for (var node = 1; node <= nodes; node++)
        {
            for (var i = 1; i <= podsPerNode; i++)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"""
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {"{"}name: p{node}-{i}, namespace: default, labels: {"{"}tier: {(i % 2 == 0 ? "back" : "front")}{"}"}{"}"}
                    spec:
                      nodeName: node-{node}
                      containers:
                      - name: c
                        image: example/server
                        ports: [{"{"}containerPort: 80, protocol: TCP{"}"}]

                    """);
            }
        }

        if (backOnlyFromFront)
        {
            yaml.Append("""
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: back-only-from-front, namespace: default}
                spec:
                  podSelector: {matchLabels: {tier: back}}
                  policyTypes: [Ingress]
                  ingress:
                  - from: [{podSelector: {matchLabels: {tier: front}}}]
                    ports: [{port: 80, protocol: TCP}]

                """);
        }

        File.WriteAllText(lab.PodsFile, yaml.ToString());
        return lab;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
