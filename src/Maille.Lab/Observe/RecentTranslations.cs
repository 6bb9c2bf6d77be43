using System.Net;

namespace Maille.Lab.Observe;

/// <summary>
/// Service translations seen on a connection's first node, kept until its last node reports it. A pod reaching a
/// Service is translated by its own node's Service proxy; when the endpoint lives on another node, that node's
/// conntrack sees the connection already addressed to the endpoint. The flow is reported by the endpoint's node (only
/// there has it passed both sides' policies), with the Service looked up here. Bounded: the oldest go first.
/// </summary>
internal sealed class RecentTranslations(int capacity)
{
    private readonly Dictionary<Key, (IPAddress Address, int Port)> _translations = [];
    private readonly Queue<Key> _order = new();

    public void Add(byte protocol, IPAddress source, int sourcePort, IPAddress endpoint, int endpointPort, IPAddress address, int port)
    {
        var key = new Key(protocol, source, sourcePort, endpoint, endpointPort);
        if (_translations.TryAdd(key, (address, port)))
        {
            _order.Enqueue(key);
            if (_order.Count > capacity)
            {
                _translations.Remove(_order.Dequeue());
            }
        }
        else
        {
            _translations[key] = (address, port);
        }
    }

    public bool Contains(byte protocol, IPAddress source, int sourcePort, IPAddress endpoint, int endpointPort) =>
        _translations.ContainsKey(new Key(protocol, source, sourcePort, endpoint, endpointPort));

    /// <summary>The address and port the client addressed, when its node translated this connection.</summary>
    public (IPAddress Address, int Port)? Take(byte protocol, IPAddress source, int sourcePort, IPAddress endpoint, int endpointPort) =>
        _translations.Remove(new Key(protocol, source, sourcePort, endpoint, endpointPort), out var found) ? found : null;

    private readonly record struct Key(byte Protocol, IPAddress Source, int SourcePort, IPAddress Endpoint, int EndpointPort);
}
