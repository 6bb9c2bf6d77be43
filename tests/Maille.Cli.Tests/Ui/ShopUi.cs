using Maille.Cli.Ui;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.TestKit;

namespace Maille.Cli.Tests.Ui;

/// <summary>
/// <c>maille ui -f examples/shop</c>, served in the test's process on a free port of 127.0.0.1, with the engine's own
/// plan and matrix of the same files beside it: the tests compare what the page shows with what the engine says.
/// </summary>
public sealed class ShopUi : IAsyncLifetime
{
    public static string Folder => Path.Combine(Cluster.RepositoryRoot, "examples", "shop");

    internal UiServer Server { get; private set; } = null!;

    internal ClusterState Planned { get; private set; } = null!;

    internal ReachabilityMatrix Matrix { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var stderr = new StringWriter();
        var source = FileUiSource.Load([Folder], null, new CliContext(TextReader.Null, TextWriter.Null, stderr))
            ?? throw new InvalidOperationException("examples/shop does not plan: " + stderr);
        var (planned, error) = await source.ClusterAsync(CancellationToken.None);
        Planned = planned ?? throw new InvalidOperationException(error);
        var pods = Planned.Pods.Where(p => !p.Spec.HostNetwork).ToList();
        Matrix = ReachabilityMatrix.Compute(NetworkPolicyEvaluator.For(Planned), pods, ReachabilityMatrix.DeclaredPorts(pods));
        Server = await UiServer.StartAsync(source, port: 0);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>shop-db's policy that allows the api to reach postgres, replaced by one that allows nothing: a what-if that loses connections.</summary>
    public const string DropPostgresAllow = """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: allow-postgres-from-api
          namespace: shop-db
        spec:
          podSelector: {}
          policyTypes: [Ingress]
        """;

    /// <summary>The first pair of distinct pods on port index 0 whose connection the engine allows (or denies).</summary>
    internal (string From, string To) Pair(bool allowed)
    {
        var n = Matrix.Pods.Length;
        for (var from = 0; from < n; from++)
        {
            for (var to = 0; to < n; to++)
            {
                if (from != to && Matrix.IsAllowed(0, from, to) == allowed)
                {
                    return (Matrix.Pods[from].QualifiedName, Matrix.Pods[to].QualifiedName);
                }
            }
        }

        throw new InvalidOperationException($"examples/shop has no {(allowed ? "allowed" : "denied")} pair on {Matrix.Ports[0]}");
    }

    /// <summary>A client that holds the cookie the login address sets.</summary>
    internal async Task<HttpClient> LoggedInClient()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = Server.Address };
        var login = await client.GetAsync(Server.LoginAddress);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }
}
