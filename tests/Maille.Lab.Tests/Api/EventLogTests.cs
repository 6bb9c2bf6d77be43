using Maille.Lab.Api;
using Maille.TestKit;

namespace Maille.Lab.Tests.Api;

public sealed class EventLogTests
{
    private static readonly EventSubject Web = new("v1", "Pod", "shop", "web", "u-web");

    private static EventRecord Started(EventSubject subject) => new(subject, "Normal", "Started", "Started container c", "kubelet", "node-1");

    [Fact]
    public void A_repeat_counts_on_the_kept_event_and_moves_its_last_time()
    {
        var clock = new ManualTimeProvider();
        var log = new EventLog(10, clock);

        var (first, added, _) = log.Record(Started(Web));
        clock.Advance(TimeSpan.FromSeconds(30));
        var (again, addedAgain, _) = log.Record(Started(Web));

        Assert.True(added);
        Assert.False(addedAgain);
        Assert.Equal((first.Name, first.Uid, 2), (again.Name, again.Uid, again.Count));
        Assert.Equal(first.FirstTimestamp, again.FirstTimestamp);
        Assert.Equal(first.FirstTimestamp.AddSeconds(30), again.LastTimestamp);
        Assert.Single(log.Events);
    }

    [Fact]
    public void The_log_keeps_the_last_events_and_the_one_updated_longest_ago_leaves_first()
    {
        var log = new EventLog(2, new ManualTimeProvider());
        var a = Web with { Name = "a" };
        var b = Web with { Name = "b" };

        log.Record(Started(a));
        log.Record(Started(b));
        log.Record(Started(a));
        var (_, _, evicted) = log.Record(Started(Web with { Name = "c" }));

        Assert.Equal(["b"], evicted.Select(e => e.Subject.Name));
        Assert.Equal(["a", "c"], log.Events.Select(e => e.Subject.Name));
    }

    [Fact]
    public void Events_of_one_object_at_one_instant_get_names_of_their_own_and_live_in_its_namespace()
    {
        var log = new EventLog(10, new ManualTimeProvider());
        var node = new EventSubject("v1", "Node", null, "node-1", "u-node");

        var started = log.Record(Started(Web)).Event;
        var killing = log.Record(Started(Web) with { Reason = "Killing", Message = "Stopping container c" }).Event;
        var ready = log.Record(new EventRecord(node, "Normal", "NodeReady", "Node node-1 status is now: NodeReady", "kubelet", "node-1")).Event;

        Assert.NotEqual(started.Name, killing.Name);
        Assert.StartsWith("web.", started.Name, StringComparison.Ordinal);
        Assert.Equal(("shop", "default"), (started.Namespace, ready.Namespace));
    }
}
