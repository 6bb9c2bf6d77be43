using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Maille.Cli.Tests;

// Every log message of the maille process (the CLI, the lab daemon and what they load) has an event id of its own,
// so that a line of daemon.log names one message (docs/architecture.md, "Log event ids").
public sealed class LogEventIdTests
{
    private static readonly Assembly[] Assemblies =
    [
        typeof(CliApp).Assembly,
        typeof(Maille.Lab.Labs.LabController).Assembly,
        typeof(Maille.Dataplane.Linux.Netns.NetworkNamespace).Assembly,
        typeof(Maille.Engine.ClusterPlanner).Assembly,
        typeof(Maille.Kube.ManifestLoader).Assembly,
    ];

    [Fact]
    public void No_two_log_messages_share_an_event_id()
    {
        var messages = Assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();

        var shared = messages.GroupBy(m => m.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();

        Assert.True(messages.Count > 40, $"only {messages.Count} log messages found");
        Assert.True(shared.Count == 0, "event ids used twice:\n" + string.Join("\n", shared));
    }
}
