using System.Text.Json.Nodes;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// The netpol playground (examples/netpol-playground/pods.yaml) as one live lab shared by a test class: brought up by
/// the first test that needs it with <c>maille up --flush-denied-connections</c> (policy changes cut the connections
/// and UDP flows they deny, so a probe after a change is judged by the new policy alone), taken down with
/// <c>maille down</c> when the class ends, whatever happened (a <see cref="LiveLab"/>, shared). Every command goes
/// through <c>./maille</c>, as a user's. The data plane is nftables unless a derived fixture names another
/// (<see cref="EbpfPlaygroundLab"/>).
/// </summary>
public class PlaygroundLab : IDisposable
{
    private readonly LiveLab _lab = LiveLab.Create();
    private bool _started;
    private readonly DataplaneKind _dataplane;
    private string? _broken;

    // xunit builds a class fixture with its one public constructor: the nftables lab; derived fixtures name another data plane.
    public PlaygroundLab()
        : this(DataplaneKind.Nftables)
    {
    }

    protected PlaygroundLab(DataplaneKind dataplane) => _dataplane = dataplane;

    public string Name => _lab.Name;

    /// <summary>Brings the lab up on first use; fails (every later test too) when it did not come up or a reset failed.</summary>
    public void EnsureUp()
    {
        if (!_started)
        {
            _started = true;
            var up = _lab.Run("up", "-f", PlaygroundScenario.PodsFile, "--flush-denied-connections", "--dataplane", _dataplane == DataplaneKind.Ebpf ? "ebpf" : "nftables");
            if (up.ExitCode != 0)
            {
                _broken = $"maille up failed ({up.ExitCode}): {up.Stderr}";
            }
        }

        Assert.True(_broken is null, _broken);
    }

    /// <summary>Runs <c>maille ARGUMENTS --lab NAME</c>.</summary>
    public (int ExitCode, string Stdout, string Stderr) Run(params string[] arguments) => _lab.Run(arguments);

    /// <summary>Runs a command that must succeed and returns its output.</summary>
    public string Succeed(params string[] arguments) => _lab.Succeed(arguments);

    /// <summary>
    /// Connections the nodes' policy enforcers have cut since the lab came up (<c>maille status -o json</c>): conntrack
    /// entries in the nftables mode, entries of the tc programs' <c>flows</c> map in the ebpf mode.
    /// </summary>
    public long FlushedConnections() =>
        JsonNode.Parse(Succeed("status", "-o", "json"))!["items"]!.AsArray().Sum(agent => _dataplane == DataplaneKind.Ebpf
            ? (long)agent!["parts"]!["networkpolicy-ebpf"]!["flushedFlows"]!
            : (long)agent!["parts"]!["networkpolicy"]!["flushedConnections"]!);

    /// <summary>
    /// Back to the bare playground: every NetworkPolicy the lab holds deleted and, when <paramref name="labels"/>, pods.yaml
    /// applied again (its namespaces and pods with their own labels). When that fails, the lab is marked broken.
    /// </summary>
    public void Reset(bool labels, IReadOnlyCollection<string>? clusterPolicies = null)
    {
        try
        {
            foreach (var name in clusterPolicies ?? [])
            {
                Succeed("delete", "clusternetworkpolicy", name);
            }

            var policies = JsonNode.Parse(Succeed("get", "networkpolicies", "-A", "-o", "json"))!["items"]!.AsArray()
                .Select(p => (Namespace: (string)p!["metadata"]!["namespace"]!, Name: (string)p["metadata"]!["name"]!));
            foreach (var inNamespace in policies.GroupBy(p => p.Namespace))
            {
                Succeed(["delete", "networkpolicy", .. inNamespace.Select(p => p.Name), "-n", inNamespace.Key]);
            }

            if (labels)
            {
                Succeed("apply", "-f", PlaygroundScenario.PodsFile);
            }
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException or NullReferenceException or System.Text.Json.JsonException)
        {
            _broken = "the lab could not be reset to the bare playground: " + e.Message;
        }
    }

    public void Dispose()
    {
        _lab.Dispose();
        GC.SuppressFinalize(this);
    }
}
