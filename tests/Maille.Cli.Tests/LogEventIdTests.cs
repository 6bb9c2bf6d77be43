using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Maille.Cli.Tests;

// Every log message of the maille process (the CLI, the lab daemon and what they load) has an event id of its own,
// so that a line of daemon.log names one message (docs/architecture.md, "Log event ids").
public sealed class LogEventIdTests
{
    /// <summary>
    /// Every Maille assembly the CLI loads, found by following references from it, so that a new project is checked
    /// without being listed here.
    /// </summary>
    private static IReadOnlyList<Assembly> MailleAssemblies()
    {
        var found = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([typeof(CliApp).Assembly]);
        while (pending.TryPop(out var assembly))
        {
            if (!found.TryAdd(assembly.GetName().Name!, assembly))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Maille.", StringComparison.Ordinal)))
            {
                pending.Push(Assembly.Load(reference));
            }
        }

        return [.. found.Values];
    }

    [Fact]
    public void Every_assembly_of_the_cli_is_searched()
    {
        var names = MailleAssemblies().Select(a => a.GetName().Name).ToList();

        Assert.Contains("Maille.Lab", names);
        Assert.Contains("Maille.Dataplane.Linux", names);
        Assert.Contains("Maille.Dataplane.Nftables", names);
        Assert.Contains("Maille.Engine", names);
        Assert.Contains("Maille.Kube", names);
        Assert.Contains("Maille.Model", names);
    }

    [Fact]
    public void No_two_log_messages_share_an_event_id()
    {
        var messages = MailleAssemblies()
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
