using Maille.Dataplane.Linux.Netns;

namespace Maille.Dataplane.Linux.Tests;

/// <summary>The queue a namespace's thread serves: items in order, one at a time, and a close that drains first.</summary>
public sealed class WorkQueueTests
{
    [Fact]
    public void Its_thread_runs_the_items_in_the_order_they_were_added_and_ends_after_the_last_once_closed()
    {
        var queue = new WorkQueue();
        var ran = new List<int>();
        for (var i = 0; i < 100; i++)
        {
            var item = i;
            queue.Add(() => ran.Add(item));
        }

        queue.Complete();
        var thread = new Thread(queue.Serve);
        thread.Start();

        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "the thread did not end after the queue was closed and drained");
        Assert.Equal(Enumerable.Range(0, 100), ran);
        Assert.Null(queue.Take());
    }

    [Fact]
    public void A_waiting_thread_wakes_for_an_item_added_later_and_the_caller_gets_its_result()
    {
        var queue = new WorkQueue();
        var thread = new Thread(queue.Serve);
        thread.Start();

        // The thread is waiting on an empty queue: each Run must wake it.
        Assert.Equal(42, QueuedWork.Run(queue, () => 42));
        var error = Assert.Throws<InvalidOperationException>(() => QueuedWork.Run<int>(queue, () => throw new InvalidOperationException("refused")));
        Assert.Equal("refused", error.Message);
        Assert.Equal(thread.ManagedThreadId, QueuedWork.Run(queue, () => Environment.CurrentManagedThreadId));

        queue.Complete();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        Assert.Throws<InvalidOperationException>(() => queue.Add(() => { }));
    }
}
