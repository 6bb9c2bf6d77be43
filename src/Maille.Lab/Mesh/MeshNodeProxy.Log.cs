using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Maille.Lab.Workloads;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Mesh;

internal sealed partial class MeshNodeProxy
{
    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Mesh: {Pod} joined as {Identity} (certificate valid until {NotAfter:u})")]
    private partial void LogPodAdded(PodId pod, string identity, DateTime notAfter);

    [LoggerMessage(EventId = 1802, Level = LogLevel.Information, Message = "Mesh: refused a connection to {Pod}:{Port} from {Source}: {Reason}")]
    private partial void LogRefused(PodId pod, int port, IPAddress source, string reason);

    [LoggerMessage(EventId = 1803, Level = LogLevel.Debug, Message = "Mesh: admitted a connection to {Pod}:{Port} from {Source}: {Reason}")]
    private partial void LogAdmitted(PodId pod, int port, IPAddress source, string reason);

    [LoggerMessage(EventId = 1804, Level = LogLevel.Warning, Message = "Mesh: an HBONE tunnel to {Pod} asked for {Authority}, which is not the pod's address: refused")]
    private partial void LogNotForThisPod(PodId pod, string authority);

    [LoggerMessage(EventId = 1805, Level = LogLevel.Information, Message = "Mesh: {Pod}:{Port} did not accept the connection ({Error})")]
    private partial void LogPodUnreachable(PodId pod, int port, SocketError error);

    [LoggerMessage(EventId = 1806, Level = LogLevel.Information, Message = "Mesh: {Pod}'s connection to {Destination} was refused by the destination's proxy (HTTP {Status}): reset")]
    private partial void LogTunnelRefused(PodId pod, IPEndPoint destination, int status);

    [LoggerMessage(EventId = 1807, Level = LogLevel.Information, Message = "Mesh: {Pod} connected to {Destination}, a Service port without endpoints: reset")]
    private partial void LogNoEndpoint(PodId pod, IPEndPoint destination);

    [LoggerMessage(EventId = 1808, Level = LogLevel.Debug, Message = "Mesh: a connection of {Pod} failed: reset")]
    private partial void LogConnectionFailed(PodId pod, Exception exception);

    [LoggerMessage(EventId = 1809, Level = LogLevel.Debug, Message = "Mesh: the tunnel to {Authority} failed")]
    private partial void LogTunnelFailed(string authority, Exception exception);

    [LoggerMessage(EventId = 1810, Level = LogLevel.Information, Message = "Mesh: {Node} rotated the certificates of {Count} pods")]
    private partial void LogRotated(string node, int count);

    [LoggerMessage(EventId = 1811, Level = LogLevel.Warning, Message = "Mesh: the capture of {Pod} could not be removed")]
    private partial void LogUninstallFailed(PodId pod, Exception exception);

    private void LogPeerUnproved(PodId pod, IPAddress? source, X509Certificate2? presented)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var (serial, notAfter) = (presented?.SerialNumber, presented?.NotAfter.ToUniversalTime());
            LogPeerUnprovedCore(pod, source, serial, notAfter);
        }
    }

    [LoggerMessage(EventId = 1812, Level = LogLevel.Information, Message = "Mesh: refused an HBONE tunnel to {Pod} from {Source}: its client certificate (serial {Serial}, valid until {NotAfter:u}) is not proved by the lab's mesh authority now")]
    private partial void LogPeerUnprovedCore(PodId pod, IPAddress? source, string? serial, DateTime? notAfter);
}
