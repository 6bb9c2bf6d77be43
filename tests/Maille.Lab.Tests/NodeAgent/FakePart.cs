using Maille.Engine;
using Maille.Lab.NodeAgents;

namespace Maille.Lab.Tests.NodeAgents;

/// <summary>
/// A node agent part without a kernel: its "kernel" is a set of pod names, written whole by a full sync and by
/// difference from what the part believes it holds otherwise, as the nftables parts do. So a test can change the
/// kernel behind its back (drift) and see which syncs repair it. It can be told to fail its next syncs, or to block in
/// its next sync until released. Every call is recorded with the runner's clock.
/// </summary>
internal sealed class FakePart(TimeProvider time) : INodeAgentPart
{
    private readonly Lock _gate = new();
    private readonly List<FakeSync> _calls = [];
    private HashSet<string>? _believed;

    public string Name => "fake";

    /// <summary>What the node "holds".</summary>
    public HashSet<string> Kernel { get; } = new(StringComparer.Ordinal);

    /// <summary>The next syncs to refuse, as a kernel would refuse a transaction.</summary>
    public int FailuresToCome { get; set; }

    /// <summary>When set, the next sync waits for it before doing anything.</summary>
    public ManualResetEventSlim? Hold { get; set; }

    public NodePartDetails Details
    {
        get
        {
            lock (_gate)
            {
                return new FakeDetails { Entries = Kernel.Count };
            }
        }
    }

    public IReadOnlyList<FakeSync> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public string[] KernelNow()
    {
        lock (_gate)
        {
            return [.. Kernel.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Someone else changes the node: an entry the part wrote disappears.</summary>
    public void Tamper(string entry)
    {
        lock (_gate)
        {
            Kernel.Remove(entry);
        }
    }

    public NodePartSync Sync(ClusterState cluster, bool full)
    {
        var hold = Hold;
        Hold = null;
        hold?.Wait(TimeSpan.FromSeconds(10));
        var desired = cluster.Pods.Select(p => p.QualifiedName).ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            _calls.Add(new FakeSync(time.GetUtcNow(), full, [.. desired.Order(StringComparer.Ordinal)]));
            if (FailuresToCome > 0)
            {
                FailuresToCome--;
                _believed = null;
                return NodePartSync.Failed("refused", full);
            }

            var writeAll = full || _believed is null;
            if (writeAll)
            {
                Kernel.Clear();
                Kernel.UnionWith(desired);
            }
            else
            {
                Kernel.ExceptWith(_believed!.Except(desired));
                Kernel.UnionWith(desired.Except(_believed!));
            }

            var commands = writeAll ? desired.Count : _believed!.Except(desired).Count() + desired.Except(_believed!).Count();
            _believed = desired;
            return new NodePartSync { Full = writeAll, CommandCount = commands };
        }
    }

    public void Dispose()
    {
    }
}
