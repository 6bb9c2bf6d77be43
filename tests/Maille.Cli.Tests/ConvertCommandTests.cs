using static Maille.Cli.Tests.CliRunner;

namespace Maille.Cli.Tests;

/// <summary>
/// <c>maille convert ingress-to-gateway</c> run in-process: manifests on standard output that plan again beside the
/// input, warnings naming file, Ingress and field on standard error, and the exit codes (0 exact, 3 with warnings,
/// 2 bad input).
/// </summary>
public sealed class ConvertCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("maille-convert-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_shop_converts_exactly_to_YAML_that_trace_follows_through_the_Gateway()
    {
        var (code, stdout, stderr) = Run("convert", "ingress-to-gateway", "-f", Repo("examples/shop"));

        Assert.Equal((0, ""), (code, stderr));
        Assert.Equal(
            ["GatewayClass maille", "Gateway maille", "ReferenceGrant maille-certificates", "HTTPRoute api-api-shop-example", "HTTPRoute api-shop-example", "HTTPRoute shop"],
            Kinds(stdout));
        Assert.DoesNotContain("uid:", stdout, StringComparison.Ordinal);
        var converted = Path.Combine(_folder, "gateway.yaml");
        File.WriteAllText(converted, stdout);

        var trace = Run("trace", "-f", Repo("examples/shop"), "-f", converted, "--to", "http://shop.example/api/items", "--via", "default/maille", "-o", "json");

        Assert.Equal(0, trace.ExitCode);
        Assert.Contains("\"route\": \"shop-api/api-shop-example\"", trace.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"service\": \"shop-api/api\"", trace.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void What_a_Gateway_cannot_express_is_a_warning_naming_file_Ingress_and_field_and_exit_3()
    {
        var file = Repo("tests/Maille.TestKit/fixtures/ingress-to-gateway-warnings.yaml");

        var (code, stdout, stderr) = Run("convert", "ingress-to-gateway", "-f", file, "-o", "json");

        Assert.Equal(3, code);
        Assert.Contains("\"kind\": \"List\"", stdout, StringComparison.Ordinal);
        var lines = stderr.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^warning: .*ingress-to-gateway-warnings\.yaml:\d+: Ingress app/mixed: spec\.rules\[\d\]\.", l));
        Assert.Contains(lines, l => l.Contains("spec.rules[0].host: *.shop.example matches exactly one label", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_input_no_Ingress_and_a_bad_gateway_name_exit_2_and_write_nothing()
    {
        var noIngress = Path.Combine(_folder, "svc.yaml");
        File.WriteAllText(noIngress, "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: default}\nspec: {ports: [{port: 80}]}\n");
        var invalid = Path.Combine(_folder, "bad.yaml");
        File.WriteAllText(invalid, "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec: {rules: [{http: {paths: [{path: nope, pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}]}}]}\n");

        Assert.Equal((2, ""), Short(Run("convert", "ingress-to-gateway", "-f", noIngress)));
        Assert.Equal((2, ""), Short(Run("convert", "ingress-to-gateway", "-f", invalid)));
        Assert.Equal((2, ""), Short(Run("convert", "ingress-to-gateway", "-f", Repo("examples/shop"), "--gateway", "nonamespace")));
        // A usage error prints the command's help, and is bad input too.
        Assert.Equal(2, Run("convert", "ingress-to-gateway", "-f", Repo("examples/shop"), "-o", "wide").ExitCode);
    }

    private static (int, string) Short((int ExitCode, string Stdout, string Stderr) run)
    {
        Assert.NotEqual("", run.Stderr);
        return (run.ExitCode, run.Stdout);
    }

    private static string Repo(string path) => Path.Combine(TestKit.Cluster.RepositoryRoot, path);

    private static List<string> Kinds(string yaml)
    {
        var kinds = new List<string>();
        foreach (var document in yaml.Split("---\n"))
        {
            var lines = document.Split('\n');
            var kind = lines.First(l => l.StartsWith("kind: ", StringComparison.Ordinal))[6..];
            var name = lines.First(l => l.StartsWith("  name: ", StringComparison.Ordinal))[8..];
            kinds.Add($"{kind} {name}");
        }

        return kinds;
    }
}
