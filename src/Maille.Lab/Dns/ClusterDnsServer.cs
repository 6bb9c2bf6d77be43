using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Maille.Engine;
using Maille.Engine.Dns;
using Maille.Lab.Workloads;
using Maille.Model;
using Microsoft.Extensions.Logging;
using Question = Maille.Engine.Dns.DnsQuestion;

namespace Maille.Lab.Dns;

/// <summary>
/// The lab's cluster DNS: one server in the daemon's process for every DNS pod. The lab creates each DNS pod's
/// port-53 sockets inside the pod's network namespace (a bound UDP socket, a listening TCP socket) and hands them over
/// with <see cref="AddPort"/>; the server answers on them over UDP and TCP. ARSoft.Tools.Net's <see cref="DnsServer"/>
/// parses queries and encodes (and truncates) responses; the answers come from the engine's
/// <see cref="ClusterDnsZone"/> for the state that <c>currentState</c> returns at the time of the query, rebuilt
/// only when that state is a new object, so a Service or pod change is answered by the next query.
/// </summary>
public sealed partial class ClusterDnsServer : IAsyncDisposable
{
    private readonly Func<ClusterState> _currentState;
    private readonly ClusterDnsServerOptions _options;
    private readonly DnsUdpTransport _udp;
    private readonly DnsTcpTransport _tcp;
    private readonly DnsServer _server;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private (ClusterState State, ClusterDnsZone Zone)? _zone;
    private int _state; // 0 created, 1 started, 2 stopped

    public ClusterDnsServer(Func<ClusterState> currentState, ClusterDnsServerOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid cluster DNS options: {string.Join(" ", errors)}", nameof(options));
        }

        _currentState = currentState;
        _options = options;
        _logger = loggerFactory.CreateLogger<ClusterDnsServer>();
        _udp = new DnsUdpTransport(options, loggerFactory.CreateLogger<DnsUdpTransport>());
        _tcp = new DnsTcpTransport(options, timeProvider, loggerFactory.CreateLogger<DnsTcpTransport>());
        _server = new DnsServer(_udp, _tcp);
        _server.QueryReceived += OnQueryReceivedAsync;
        _server.ExceptionThrown += OnExceptionThrownAsync;
    }

    /// <summary>Every DNS pod port being served.</summary>
    public IReadOnlyCollection<PodPort> Ports => [.. _udp.Ports, .. _tcp.Ports];

    /// <summary>Starts answering; sockets added before are answered from here on.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The cluster DNS server starts once.");
        }

        _server.Start();
        LogStarted();
    }

    /// <summary>
    /// Serves DNS on <paramref name="socket"/>, made by the caller in the DNS pod's network namespace: for UDP a bound
    /// datagram socket, for TCP a bound, listening stream socket. The server owns the socket once this returns.
    /// </summary>
    /// <exception cref="ArgumentException">The port is already served, the socket does not fit, or the protocol is SCTP.</exception>
    public void AddPort(PodPort port, Socket socket)
    {
        switch (port.Protocol)
        {
            case Protocol.UDP:
                _udp.Add(port, socket);
                break;
            case Protocol.TCP:
                _tcp.Add(port, socket);
                break;
            default:
                throw new ArgumentException($"{port}: DNS is served over UDP and TCP, not {port.Protocol}.", nameof(port));
        }
    }

    /// <summary>Stops serving one port and closes its socket; an open TCP connection on it ends when idle.</summary>
    /// <returns>False when the port was not served.</returns>
    public bool RemovePort(PodPort port) => port.Protocol == Protocol.TCP ? _tcp.Remove(port) : _udp.Remove(port);

    /// <summary>Stops serving every port of <paramref name="pod"/> (a DNS pod deleted or moved).</summary>
    /// <returns>False when none of its ports was served.</returns>
    public bool RemovePod(PodId pod)
    {
        var removed = false;
        foreach (var port in Ports.Where(p => p.Pod == pod))
        {
            removed |= RemovePort(port);
        }

        return removed;
    }

    /// <summary>What the server answers to <paramref name="question"/> now, without the wire: for <c>maille</c> commands and tests.</summary>
    public DnsAnswer Resolve(Question question) => CurrentZone().Resolve(question);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 1)
        {
            try
            {
                _server.Stop(); // cancels the accept loops and open TCP reads, closes the transports
            }
            catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OperationCanceledException))
            {
                // ARSoft waits for its accept loops, which end cancelled when they had not started yet.
            }

            LogStopped();
        }

        await _udp.DisposeAsync();
        await _tcp.DisposeAsync();
    }

    /// <summary>The answer to one parsed query. One question per query, class IN (or ANY), opcode QUERY.</summary>
    internal DnsMessage Answer(DnsMessage query)
    {
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = false; // nothing is forwarded: the lab has no upstream
        if (response.IsEDnsEnabled && response.EDnsOptions is { } edns)
        {
            // ARSoft truncates to the size the response advertises: make that what both sides can take.
            var asked = query.EDnsOptions?.UdpPayloadSize ?? 512;
            edns.UdpPayloadSize = Math.Max((ushort)512, Math.Min(asked, _options.MaxUdpResponseSize));
        }

        if (query.OperationCode != OperationCode.Query)
        {
            response.ReturnCode = ReturnCode.NotImplemented;
            return response;
        }

        if (query.Questions.Count != 1)
        {
            response.ReturnCode = ReturnCode.FormatError;
            return response;
        }

        var question = query.Questions[0];
        if (question.RecordClass is not (RecordClass.INet or RecordClass.Any))
        {
            response.ReturnCode = ReturnCode.Refused;
            return response;
        }

        var answer = Resolve(new Question(question.Name.ToString(), (Engine.Dns.DnsRecordType)(ushort)question.RecordType));
        response.ReturnCode = (ReturnCode)(ushort)answer.Code;
        response.IsAuthoritiveAnswer = answer.Authoritative;
        response.AnswerRecords.AddRange(answer.Answers.Select(DnsWireRecords.From));
        response.AuthorityRecords.AddRange(answer.Authority.Select(DnsWireRecords.From));
        response.AdditionalRecords.AddRange(answer.Additional.Select(DnsWireRecords.From));
        LogAnswered(question.Name, question.RecordType, answer.Code, answer.Answers.Count);
        return response;
    }

    private ClusterDnsZone CurrentZone()
    {
        var state = _currentState();
        lock (_gate)
        {
            if (_zone is { } zone && ReferenceEquals(zone.State, state))
            {
                return zone.Zone;
            }
        }

        // Built outside the lock: two queries racing on a new state build it twice, which is harmless.
        var built = ClusterDnsZone.Build(state);
        lock (_gate)
        {
            _zone = (state, built);
        }

        return built;
    }

    private Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is DnsMessage query)
        {
            e.Response = Answer(query);
        }

        return Task.CompletedTask;
    }

    private Task OnExceptionThrownAsync(object sender, ExceptionEventArgs e)
    {
        LogQueryFailed(e.Exception);
        return Task.CompletedTask;
    }
}
