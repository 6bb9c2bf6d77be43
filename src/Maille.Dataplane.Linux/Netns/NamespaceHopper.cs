using System.Collections.Concurrent;

namespace Maille.Dataplane.Linux.Netns;

/// <summary>
/// Two long-lived threads that switch into a namespace for each short work item (creating a socket) and stay there
/// until the next one. A dedicated thread per item cost about 0.3 ms to start and join: 3.4 s for the 10,000 ports
/// of a lab of 10,000 pods. Items must be short and must not wait for another item, or they hold up every caller.
/// Only the lab's start uses it for now: with connection sockets (probes, the Ingress proxy's upstreams) going
/// through it too, a policy test's probes ran no round while rules were rewritten 200 times, so those keep a thread
/// per socket until that is understood.
/// </summary>
internal static class NamespaceHopper
{
    private const int Threads = 2;

    private static readonly BlockingCollection<Action> Queue = Start();

    public static T Run<T>(NetworkNamespace target, Func<T> work) => QueuedWork.Run(Queue, () =>
    {
        target.Enter();
        return work();
    });

    private static BlockingCollection<Action> Start()
    {
        var queue = new BlockingCollection<Action>();
        for (var i = 0; i < Threads; i++)
        {
            new Thread(() =>
            {
                foreach (var item in queue.GetConsumingEnumerable())
                {
                    item();
                }
            })
            {
                IsBackground = true,
                Name = "maille-netns-hop",
            }.Start();
        }

        return queue;
    }
}
