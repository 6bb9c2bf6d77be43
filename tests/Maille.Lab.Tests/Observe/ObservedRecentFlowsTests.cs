using System.Net;
using Maille.Engine.Flows;
using Maille.Lab.Observe;
using Maille.Model;

namespace Maille.Lab.Tests.Observe;

/// <summary>
/// "The flows seen in the last N minutes" (<c>maille apply --dry-run=impact --since N</c>): the connections the nodes
/// reported in the window, with those their conntrack tables hold now, and honest about what the bounded history lacks.
/// </summary>
public sealed class ObservedRecentFlowsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static readonly RecentFlow StillTracked = new("node-1", Protocol.TCP, IPAddress.Parse("198.19.1.5"), 41000, IPAddress.Parse("198.19.2.7"), 8080, null, null, "ESTABLISHED", null);

    private sealed class Tracked(params string[] errors) : IRecentFlows
    {
        public string Window => "tracked now";

        public RecentFlowRead Read() => new([StillTracked], [.. errors]);
    }

    private static FlowRecord Opened(TimeSpan ago, int clientPort, bool allowed = true, string protocol = "TCP") => new()
    {
        Time = Now - ago,
        Node = "node-2",
        From = "shop/web",
        FromAddress = IPAddress.Parse("198.19.1.5"),
        FromPort = clientPort,
        To = "shop/api",
        ToAddress = IPAddress.Parse("198.19.2.7"),
        Port = 8080,
        Protocol = protocol,
        Service = "shop/api",
        ServiceAddress = IPAddress.Parse("198.18.128.10"),
        ServicePort = 80,
        Allowed = allowed,
        Rule = "shop/allow-web ingress rule 0 peer 0 port 0",
    };

    private static RecentFlowRead Read(IReadOnlyList<FlowEvent> history, TimeSpan since, int capacity = 10_000, IRecentFlows? tracked = null) =>
        new ObservedRecentFlows(tracked ?? new Tracked(), history, capacity, since, Now).Read();

    [Fact]
    public void ConnectionsOpenedInTheWindow_AreSeen_WithWhenAndTheAddressSentTo_BesideThoseTrackedNow()
    {
        var read = Read([Opened(TimeSpan.FromMinutes(30), 40001), Opened(TimeSpan.FromMinutes(9), 40002), Opened(TimeSpan.FromSeconds(5), 40003)], TimeSpan.FromMinutes(10));

        Assert.Equal([41000, 40002, 40003], read.Flows.Select(f => f.SourcePort));
        var seen = read.Flows[1];
        Assert.Equal(("node-2", Protocol.TCP, 8080, Now - TimeSpan.FromMinutes(9)), (seen.Node, seen.Protocol, seen.Port, seen.SeenAt));
        Assert.Equal((IPAddress.Parse("198.18.128.10"), (int?)80), (seen.SentTo, seen.SentToPort));
        Assert.Empty(read.Errors);
    }

    [Fact]
    public void DenialsAreNoConnections_AndAreLeftOut()
    {
        var read = Read([Opened(TimeSpan.FromMinutes(1), 40001, allowed: false), Opened(TimeSpan.FromMinutes(1), 40002, protocol: "ICMP")], TimeSpan.FromMinutes(10));

        Assert.Equal(StillTracked, Assert.Single(read.Flows));
    }

    [Fact]
    public void EventsLostInTheWindow_AreSaid_ButAClientsOwnSlowStreamIsNot()
    {
        FlowEvent[] history =
        [
            new FlowLoss { Time = Now - TimeSpan.FromMinutes(20), Node = "node-1", Source = "conntrack", Count = 9, Exact = false },
            new FlowLoss { Time = Now - TimeSpan.FromMinutes(2), Node = "node-3", Source = "nflog", Count = 4, Exact = true },
            new FlowLoss { Time = Now - TimeSpan.FromMinutes(1), Source = "stream", Count = 7, Exact = true },
        ];

        var read = Read(history, TimeSpan.FromMinutes(10), tracked: new Tracked("node-2: cannot read"));

        Assert.Equal(2, read.Errors.Length);
        Assert.Equal("node-2: cannot read", read.Errors[0]);
        Assert.StartsWith("node-3: 4 events lost (nflog)", read.Errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void AFullHistoryThatDoesNotReachBackToTheWindowsStart_IsSaid()
    {
        FlowEvent[] history = [Opened(TimeSpan.FromMinutes(3), 40001), Opened(TimeSpan.FromMinutes(2), 40002)];

        var full = Read(history, TimeSpan.FromMinutes(10), capacity: 2);
        var reaching = Read(history, TimeSpan.FromMinutes(2), capacity: 2);
        var notFull = Read(history, TimeSpan.FromMinutes(10), capacity: 3);

        Assert.Contains(full.Errors, e => e.StartsWith("the history keeps the last 2 events and reaches back to 11:57:00 only", StringComparison.Ordinal));
        Assert.Empty(reaching.Errors);
        Assert.Empty(notFull.Errors);
    }

    [Theory]
    [InlineData(600, "in the last 10m ")]
    [InlineData(5400, "in the last 1h30m ")]
    [InlineData(45, "in the last 45s ")]
    public void TheWindowIsSaidAsAPersonSaysIt(int seconds, string said) =>
        Assert.Contains(said, new ObservedRecentFlows(new Tracked(), [], 1, TimeSpan.FromSeconds(seconds), Now).Window, StringComparison.Ordinal);
}
