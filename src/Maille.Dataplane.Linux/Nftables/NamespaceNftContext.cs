using Maille.Dataplane.Linux.Netns;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// A libnftables context on a thread of its own inside a node's namespace, for a component that owns one table there
/// (the Service proxy's, the policy enforcer's): the context's netlink socket belongs to that namespace, and no pool
/// thread ever changes namespace. <see cref="Dispose"/> deletes the table, then ends the context and the thread.
/// </summary>
public sealed class NamespaceNftContext : IDisposable
{
    private readonly NamespaceWorker _worker;
    private readonly NftContext _context;
    private readonly string _table;

    /// <param name="table">The owned table, <c>FAMILY NAME</c>.</param>
    /// <param name="prepare">Run inside the namespace before the context is made (a sysctl the component needs).</param>
    public NamespaceNftContext(NetworkNamespace node, string threadName, string table, Action? prepare = null)
    {
        _table = table;
        _worker = new NamespaceWorker(node, threadName);
        try
        {
            _context = _worker.Invoke(() =>
            {
                prepare?.Invoke();
                return NftContext.Create();
            });
        }
        catch
        {
            _worker.Dispose();
            throw;
        }
    }

    public bool IsDisposed { get; private set; }

    /// <summary>Runs <paramref name="work"/> on the namespace's thread (the context is not thread-safe: one item at a time).</summary>
    public T Invoke<T>(Func<NftContext, T> work) => _worker.Invoke(() => work(_context));

    public void Dispose()
    {
        if (IsDisposed)
        {
            return;
        }

        IsDisposed = true;
        try
        {
            _worker.Invoke(() => _context.Run($"delete table {_table}"));
        }
        finally
        {
            _worker.Invoke(() =>
            {
                _context.Dispose();
                return true;
            });
            _worker.Dispose();
        }
    }
}
