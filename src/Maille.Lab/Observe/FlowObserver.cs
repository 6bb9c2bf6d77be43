using System.Threading.Channels;
using Maille.Dataplane.Linux.Flows;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;

namespace Maille.Lab.Observe;

/// <summary>
/// The lab's flows for <c>maille observe</c>: one <see cref="KernelFlowReader"/> per node (conntrack's new connections,
/// the policy tables' logged denials) feeds one bounded queue; one task names each event with the lab's current state
/// (<see cref="FlowResolver"/>) and hands the flow to the recent history and to every following client. Every bound
/// counts what it could not take, and the count is an event of its own (<see cref="FlowLoss"/>).
/// </summary>
public sealed class FlowObserver : IKernelFlowSink, IAsyncDisposable
{
    private readonly Func<ClusterState> _cluster;
    private readonly Func<string, NodePolicyPlan?> _appliedPlan;
    private readonly TimeProvider _time;
    private readonly FlowObserverOptions _options;
    private readonly Channel<RawFlow> _queue;
    private readonly FlowHistory _history;
    private readonly List<FlowSubscription> _subscriptions = [];
    private readonly List<KernelFlowReader> _readers = [];
    private readonly List<IDisposable> _denialReaders = [];
    private readonly List<string> _errors = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _resolving;
    private readonly RecentTranslations _translations = new(65_536);
    private readonly Queue<(RawFlow Flow, long Due)> _awaiting = new();
    private FlowResolver? _resolver;
    private long _queueDropped;
    private long _queueReported;

    /// <param name="cluster">The lab's current state (what its API serves).</param>
    /// <param name="appliedPlan">The policy plan a node's enforcer last applied, when it runs in this process.</param>
    /// <param name="time">The clock events are stamped with.</param>
    /// <param name="options">The bounds.</param>
    public FlowObserver(Func<ClusterState> cluster, Func<string, NodePolicyPlan?> appliedPlan, TimeProvider time, FlowObserverOptions? options = null)
    {
        _cluster = cluster;
        _appliedPlan = appliedPlan;
        _time = time;
        _options = options ?? new FlowObserverOptions();
        _options.Validate();
        _queue = Channel.CreateBounded<RawFlow>(new BoundedChannelOptions(_options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _history = new FlowHistory(_options.HistoryCapacity);
    }

    /// <summary>Nodes whose kernel could not be read, with why.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Starts reading each node's kernel (a node that cannot be read, netlink's errors being IOExceptions, is named in <see cref="Errors"/>) and resolving.</summary>
    public void Start(IEnumerable<(string Node, NetworkNamespace Namespace)> nodes, ushort logGroup)
    {
        foreach (var (node, ns) in nodes)
        {
            try
            {
                _readers.Add(new KernelFlowReader(ns, node, logGroup, this, _options.ReceiveBufferBytes));
            }
            catch (IOException e)
            {
                Failed(node, e);
            }
        }

        StartResolving();
    }

    /// <summary>
    /// Also reads <paramref name="node"/>'s denials from where the ebpf data plane reports them (<paramref name="open"/>
    /// starts a reader into this observer; its programs log to a ring buffer, not to the nfnetlink_log group); a
    /// reader that cannot start is named in <see cref="Errors"/>.
    /// </summary>
    public void ReadDenials(string node, Func<IKernelFlowSink, IDisposable> open)
    {
        try
        {
            var reader = open(this);
            lock (_denialReaders)
            {
                _denialReaders.Add(reader);
            }
        }
        catch (IOException e)
        {
            Failed(node, e);
        }
    }

    /// <summary>Starts resolving queued events (without reading any kernel: what tests feed through <see cref="IKernelFlowSink"/>).</summary>
    public void StartResolving() => _resolving ??= Task.Run(ResolveAsync);

    /// <summary>How many events <see cref="Recent"/> keeps.</summary>
    public int HistoryCapacity => _options.HistoryCapacity;

    /// <summary>The recent events, oldest first.</summary>
    public IReadOnlyList<FlowEvent> Recent() => _history.Snapshot();

    /// <summary>Every event from now on, in batches of what was waiting, until <paramref name="cancellationToken"/> ends it.</summary>
    public async IAsyncEnumerable<IReadOnlyList<FlowEvent>> FollowAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var subscription = new FlowSubscription(_options.StreamCapacity, _time);
        lock (_subscriptions)
        {
            _subscriptions.Add(subscription);
        }

        try
        {
            await foreach (var batch in subscription.ReadBatchesAsync(cancellationToken))
            {
                yield return batch;
            }
        }
        finally
        {
            lock (_subscriptions)
            {
                _subscriptions.Remove(subscription);
            }
        }
    }

    public void Connections(string node, IReadOnlyList<ConntrackEvent> events)
    {
        var time = _time.GetUtcNow();
        foreach (var e in events)
        {
            Enqueue(new RawFlow(node, time, e, null));
        }
    }

    public void Denials(string node, IReadOnlyList<NflogPacket> packets)
    {
        var time = _time.GetUtcNow();
        foreach (var packet in packets)
        {
            Enqueue(new RawFlow(node, time, null, packet));
        }
    }

    public void Lost(string node, KernelFlowSource source, long count, bool exact) =>
        Publish(new FlowLoss { Time = _time.GetUtcNow(), Node = node, Source = source switch { KernelFlowSource.Conntrack => "conntrack", KernelFlowSource.Ringbuf => "ringbuf", _ => "nflog" }, Count = count, Exact = exact });

    public void Failed(string node, Exception error)
    {
        lock (_errors)
        {
            _errors.Add($"{node}: {error.Message}");
        }
    }

    private void Enqueue(RawFlow flow)
    {
        if (!_queue.Writer.TryWrite(flow))
        {
            Interlocked.Increment(ref _queueDropped);
        }
    }

    /// <summary>
    /// How long a connection reported by the endpoint's node waits for its client's node to report the Service
    /// translation (both are read within microseconds of each other, on two sockets).
    /// </summary>
    private static readonly TimeSpan TranslationWait = TimeSpan.FromMilliseconds(100);

    private async Task ResolveAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (true)
            {
                if (_awaiting.Count == 0)
                {
                    if (!await reader.WaitToReadAsync(_stopping.Token))
                    {
                        return;
                    }
                }
                else
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                    wait.CancelAfter(TranslationWait / 4);
                    try
                    {
                        await reader.WaitToReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
                    {
                        // Time to look at what awaits a translation.
                    }
                }

                while (reader.TryRead(out var raw))
                {
                    ReportQueueLoss();
                    Handle(raw);
                }

                ReportQueueLoss();
                ResolveAwaiting();
            }
        }
        catch (OperationCanceledException)
        {
            // The daemon is stopping.
        }
    }

    private void Handle(RawFlow raw)
    {
        var resolver = Resolver();
        if (raw.Connection is { } connection && _awaiting.Count < _options.QueueCapacity && resolver.AwaitsTranslation(raw.Node, connection, _translations))
        {
            _awaiting.Enqueue((raw, _time.GetTimestamp() + (long)(TranslationWait.TotalSeconds * _time.TimestampFrequency)));
            return;
        }

        Publish(raw, resolver);
    }

    /// <summary>Resolves, in order, what waited for a translation and has it now or has waited long enough.</summary>
    private void ResolveAwaiting()
    {
        var now = _time.GetTimestamp();
        while (_awaiting.TryPeek(out var next))
        {
            var resolver = Resolver();
            var c = next.Flow.Connection!;
            if (next.Due > now && resolver.AwaitsTranslation(next.Flow.Node, c, _translations))
            {
                return;
            }

            _awaiting.Dequeue();
            Publish(next.Flow, resolver);
        }
    }

    private void Publish(RawFlow raw, FlowResolver resolver)
    {
        var record = raw.Connection is { } connection
            ? resolver.Connection(raw.Node, connection, raw.Time, _translations)
            : resolver.Denial(raw.Node, raw.Denial!, _appliedPlan(raw.Node), raw.Time);
        if (record is not null)
        {
            Publish(record);
        }
    }

    /// <summary>The resolver of the lab's current state, made again when the state changed.</summary>
    private FlowResolver Resolver()
    {
        var cluster = _cluster();
        if (_resolver?.Cluster != cluster)
        {
            _resolver = new FlowResolver(cluster);
        }

        return _resolver;
    }

    /// <summary>What the queue could not take since the last report, said once the resolver has room to say it.</summary>
    private void ReportQueueLoss()
    {
        var dropped = Interlocked.Read(ref _queueDropped);
        if (dropped > _queueReported)
        {
            Publish(new FlowLoss { Time = _time.GetUtcNow(), Source = "queue", Count = dropped - _queueReported, Exact = true });
            _queueReported = dropped;
        }
    }

    private void Publish(FlowEvent item)
    {
        _history.Add(item);
        lock (_subscriptions)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Offer(item);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var reader in _readers)
        {
            reader.Dispose();
        }

        lock (_denialReaders)
        {
            foreach (var reader in _denialReaders)
            {
                reader.Dispose();
            }
        }

        await _stopping.CancelAsync();
        if (_resolving is not null)
        {
            await _resolving;
        }

        lock (_subscriptions)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Complete();
            }
        }

        _stopping.Dispose();
    }
}
