using System.Runtime.Versioning;
using Maille.Cli.Ui;
using Maille.TestKit;

namespace Maille.Cli.Tests.Ui;

/// <summary>
/// Privileged: one lab for <see cref="UiLabTests"/>, brought up by <c>maille up</c> on first use and taken down at the
/// end: the playground's pods (namespaces x, y, z with pods a, b, c) and <see cref="DenyZ"/>, so that the lab has
/// both allowed and dropped flows; <c>maille ui --lab</c>'s server on it. Without root the tests that ask for it skip
/// (or fail under CI=true) and nothing is brought up.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class UiPlaygroundLab : IAsyncLifetime
{
    /// <summary>Namespace z takes no traffic in: every connection to z/a, z/b, z/c is dropped by its default deny.</summary>
    public const string DenyZ = """
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-all-ingress, namespace: z}
        spec: {podSelector: {}, policyTypes: [Ingress]}

        """;

    private readonly Lazy<Task<(LiveLab Lab, UiServer Server)>> _started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The lab and the page's server on it, started on the first call.</summary>
    internal Task<(LiveLab Lab, UiServer Server)> Serve()
    {
        Privileged.Require();
        return _started.Value;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_started.IsValueCreated && _started.Value.IsCompletedSuccessfully)
        {
            var (lab, server) = _started.Value.Result;
            await server.DisposeAsync();
            lab.Dispose();
        }
    }

    private static async Task<(LiveLab Lab, UiServer Server)> Start()
    {
        var lab = LiveLab.Up(Fixtures.PlaygroundPods.TrimEnd() + "\n" + DenyZ);
        try
        {
            using var stderr = new StringWriter();
            var source = LabUiSource.Connect(lab.Name, Path.Combine(lab.Folder, "ui.kubeconfig"), new CliContext(TextReader.Null, TextWriter.Null, stderr))
                ?? throw new InvalidOperationException("maille ui cannot reach the lab: " + stderr);
            return (lab, await UiServer.StartAsync(source, port: 0));
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }
}
