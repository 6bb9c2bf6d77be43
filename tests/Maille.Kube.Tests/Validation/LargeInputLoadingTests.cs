using System.Globalization;

namespace Maille.Kube.Tests.Validation;

/// <summary>
/// Large inputs are converted on every core, and a running lab converts each stored document once: neither may change
/// what is read, in which order, or where an error is reported.
/// </summary>
public sealed class LargeInputLoadingTests
{
    private const int Documents = 300;

    /// <summary>Pods and Services in turn; every 37th document has a bad port, every 50th is a List of two ConfigMaps.</summary>
    private static string Document(int i, int port = 80) => (i % 50, i % 37, i % 2) switch
    {
        (0, _, _) => $"apiVersion: v1\nkind: List\nitems:\n- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c{i}a}}}}\n- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c{i}b}}}}\n",
        (_, 0, _) => $"apiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\nspec:\n  ports:\n  - port: 70000\n",
        (_, _, 0) => $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\n  labels: {{app: a{i}}}\nspec:\n  containers: [{{name: c, image: x, ports: [{{containerPort: {port}}}]}}]\n",
        _ => $"apiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\nspec:\n  selector: {{app: a{i - 1}}}\n  ports:\n  - port: {port}\n",
    };

    private static string Text(int port = 80) => string.Join("---\n", Enumerable.Range(0, Documents).Select(i => Document(i, port)));

    [Fact]
    public void A_large_input_is_read_in_document_order_with_each_error_at_its_own_line()
    {
        var text = Text();
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("big.yaml", text)]);

        Assert.Equal(Enumerable.Range(0, Documents).Where(i => i % 50 != 0 && i % 37 != 0 && i % 2 == 0).Select(i => $"p{i}"), manifests.Pods.Select(p => p.Name));
        Assert.Equal(Enumerable.Range(0, Documents).Where(i => i % 50 != 0 && (i % 37 == 0 || i % 2 == 1)).Select(i => $"s{i}"), manifests.Services.Select(s => s.Name));
        Assert.Equal(Enumerable.Range(0, Documents).Where(i => i % 50 == 0).SelectMany(i => new[] { $"c{i}a", $"c{i}b" }), manifests.Skipped.Select(s => s.Name));

        // Each bad port is reported on the line of its `- port:` in the whole text, in document order.
        var lines = text.Split('\n');
        var expected = Enumerable.Range(0, lines.Length).Where(l => lines[l] == "  - port: 70000").Select(l => l + 1).ToList();
        Assert.Equal(Enumerable.Range(0, Documents).Count(i => i % 50 != 0 && i % 37 == 0), expected.Count);
        Assert.Equal(expected, diagnostics.Where(d => d.IsError).Select(d => d.Line ?? 0));
        Assert.All(diagnostics.Where(d => d.IsError), d => Assert.Equal("big.yaml", d.File));
    }

    [Fact]
    public void A_lab_document_cache_reads_what_the_loader_reads_and_converts_only_replaced_documents_again()
    {
        var documents = ManifestDocument.Parse("state.yaml", Text());
        var cache = new DocumentLoadCache();

        var (first, firstDiagnostics) = cache.Load(documents);
        var (whole, wholeDiagnostics) = ManifestLoader.Load([new ManifestSource("state.yaml", Text())]);

        Assert.Equal(whole.Pods.Select(p => p.QualifiedName), first.Pods.Select(p => p.QualifiedName));
        Assert.Equal(whole.Services.Select(s => s.QualifiedName), first.Services.Select(s => s.QualifiedName));
        Assert.Equal(whole.Skipped.Select(s => s.Name), first.Skipped.Select(s => s.Name));
        Assert.Equal(wholeDiagnostics.Select(d => d.ToString()), firstDiagnostics.Select(d => d.ToString()));

        // One Service replaced (another port): only its document is converted again.
        var replaced = ManifestDocument.Parse("change.yaml", Document(1, port: 8080)).Single();
        var changed = documents.Select(d => d.Key == replaced.Key ? replaced : d).ToList();
        var (second, _) = cache.Load(changed);

        Assert.Equal(8080, second.Services.Single(s => s.Name == "s1").Ports[0].Port);
        Assert.All(second.Services.Where(s => s.Name != "s1"), s => Assert.Same(first.Services.Single(f => f.Name == s.Name), s));
        Assert.All(second.Pods, p => Assert.Same(first.Pods.Single(f => f.Name == p.Name), p));
        Assert.Equal("change.yaml", second.Services.Single(s => s.Name == "s1").Meta.Source.File);
        Assert.Equal(first.Services.Select(s => s.Name), second.Services.Select(s => s.Name));
    }

    [Fact]
    public void A_document_keeps_its_text_once_rendered_and_a_relabeled_copy_renders_its_own()
    {
        var document = ManifestDocument.Parse("a.yaml", Document(2)).Single();
        var relabeled = document.WithLabels(new Dictionary<string, string?> { ["app"] = "b" });

        Assert.Same(document.ToYaml(), document.ToYaml());
        Assert.Contains("app: a2", document.ToYaml(), StringComparison.Ordinal);
        Assert.Contains("app: \"b\"", relabeled.ToYaml(), StringComparison.Ordinal);
        Assert.Equal("a.yaml", relabeled.Source);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"---\n{document.ToYaml()}---\n{relabeled.ToYaml()}"), ManifestDocument.RenderInOrder([document, relabeled]));
    }

    /// <summary>
    /// Every object of every YAML file in the repository's examples and test assets (valid and invalid ones), read by
    /// KubernetesClient's own locked deserializer and by the per-thread one: the same object, or the same error.
    /// </summary>
    [Fact]
    public void The_per_thread_deserializer_reads_every_repository_manifest_as_KubernetesClient_does()
    {
        var root = TestKit.Cluster.RepositoryRoot;
        var files = new[] { "examples", "tests" }.SelectMany(d => Directory.GetFiles(Path.Combine(root, d), "*.yaml", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Append("secret-bytes.yaml").ToList();
        var compared = 0;
        foreach (var file in files)
        {
            var text = file == "secret-bytes.yaml"
                ? "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {ok: aGVsbG8=, empty: '', bad: '%%%', list: [1]}\n"
                : File.ReadAllText(file);
            IReadOnlyList<ManifestDocument> documents;
            try
            {
                documents = ManifestDocument.Parse(file, text);
            }
            catch (FormatException)
            {
                continue;
            }

            foreach (var document in documents)
            {
                if (ModelTypes.TryGetValue(document.Key.Kind, out var type))
                {
                    Assert.True(Same(type, document.ToYaml()), $"{file}: {document.Key} is read differently");
                    compared++;
                }
            }
        }

        Assert.True(compared > 100, $"only {compared} objects compared");
    }

    private static readonly Dictionary<string, Type> ModelTypes = new(StringComparer.Ordinal)
    {
        ["Pod"] = typeof(k8s.Models.V1Pod),
        ["Service"] = typeof(k8s.Models.V1Service),
        ["Namespace"] = typeof(k8s.Models.V1Namespace),
        ["Node"] = typeof(k8s.Models.V1Node),
        ["Secret"] = typeof(k8s.Models.V1Secret),
        ["Deployment"] = typeof(k8s.Models.V1Deployment),
        ["StatefulSet"] = typeof(k8s.Models.V1StatefulSet),
        ["DaemonSet"] = typeof(k8s.Models.V1DaemonSet),
        ["ReplicaSet"] = typeof(k8s.Models.V1ReplicaSet),
        ["EndpointSlice"] = typeof(k8s.Models.V1EndpointSlice),
        ["NetworkPolicy"] = typeof(k8s.Models.V1NetworkPolicy),
        ["Ingress"] = typeof(k8s.Models.V1Ingress),
        ["IngressClass"] = typeof(k8s.Models.V1IngressClass),
    };

    private static bool Same(Type type, string yaml)
    {
        var (expected, expectedError) = Read(() => typeof(k8s.KubernetesYaml).GetMethod(nameof(k8s.KubernetesYaml.Deserialize), [typeof(string), typeof(bool)])!
            .MakeGenericMethod(type).Invoke(null, [yaml, false]));
        var (actual, actualError) = Read(() => typeof(KubeYamlDeserializer).GetMethod(nameof(KubeYamlDeserializer.Deserialize))!
            .MakeGenericMethod(type).Invoke(null, [yaml]));
        if (actualError?.Contains(ScalarFieldGuard.Refusal, StringComparison.Ordinal) == true)
        {
            // The one deliberate difference (the wrong-type golden cases): a list or map where a number, boolean or
            // string belongs is refused, where KubernetesClient reads a map as 0 or fails in its own words.
            return true;
        }

        Assert.Equal(expectedError, actualError);
        return expected is null ? actual is null : k8s.KubernetesJson.Serialize(expected) == k8s.KubernetesJson.Serialize(actual);
    }

    private static (object? Value, string? Error) Read(Func<object?> read)
    {
        try
        {
            return (read(), null);
        }
        catch (System.Reflection.TargetInvocationException e)
        {
            var inner = e.InnerException!;
            while (inner.InnerException is not null)
            {
                inner = inner.InnerException;
            }

            return (null, $"{inner.GetType().Name}: {inner.Message}");
        }
    }
}
