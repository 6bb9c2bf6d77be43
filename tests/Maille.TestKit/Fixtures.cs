using System.Text.RegularExpressions;

namespace Maille.TestKit;

/// <summary>
/// Named YAML fixtures that several tests plan or bring up, instead of each pasting its own copy: the files in
/// <c>tests/Maille.TestKit/fixtures/NAME.yaml</c> (a comment at the top of each says what it holds and its IP plan where
/// one matters), and the playground's pods. A fixture may leave values open as <c>{{key}}</c>, which the test fills in
/// by name; every key must be filled, and only keys the fixture has.
/// </summary>
internal static partial class Fixtures
{
    public static string Folder => Path.Combine(Cluster.RepositoryRoot, "tests", "Maille.TestKit", "fixtures");

    /// <summary>examples/netpol-playground/pods.yaml: namespaces x, y, z with pods a, b, c each, on three nodes.</summary>
    public static string PlaygroundPods { get; } = File.ReadAllText(PlaygroundScenario.PodsFile);

    /// <summary>Two web pods labelled app=web, serving 8080/TCP: web-1 on node-1, web-2 on node-2 (default namespace).</summary>
    public static string WebPair => Yaml("web-pair");

    /// <summary>Namespace shop: Deployment and Service api, StatefulSet db of <paramref name="dbReplicas"/> behind the headless Service db.</summary>
    public static string DnsShop(int dbReplicas) => Yaml("dns-shop", ("dbReplicas", dbReplicas.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Namespace web: Deployment web, StatefulSet db (2 pods each) and DaemonSet agent, each waiting <paramref name="minReadySeconds"/>.</summary>
    public static string MinReadyWorkloads(int minReadySeconds) => Yaml("min-ready-workloads", ("minReadySeconds", minReadySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// Namespace web: StatefulSet db (2 pods running their own program, Ready 3 s after they start), Deployment web (2
    /// pods) and DaemonSet agent.
    /// </summary>
    public static string RemadePod => Yaml("remade-pod");

    /// <summary>MetalLB's pool edge (198.18.200.0/29) and its L2Advertisement edge, in namespace metallb-system.</summary>
    public static string MetalLbEdge => Yaml("metallb-edge");

    /// <summary>The fixture <paramref name="name"/>, its <c>{{key}}</c>s filled from <paramref name="values"/>.</summary>
    public static string Yaml(string name, params (string Key, string Value)[] values)
    {
        var text = File.ReadAllText(Path.Combine(Folder, name + ".yaml")).Replace("\r\n", "\n", StringComparison.Ordinal);
        foreach (var (key, value) in values)
        {
            Assert.True(text.Contains("{{" + key + "}}", StringComparison.Ordinal), $"fixture {name} has no {{{{{key}}}}}");
            text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        }

        var open = Placeholder().Match(text);
        Assert.False(open.Success, $"fixture {name} leaves {open.Value} unfilled");
        return text;
    }

    [GeneratedRegex(@"\{\{\w+\}\}")]
    private static partial Regex Placeholder();
}
