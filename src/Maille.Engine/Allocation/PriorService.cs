using System.Net;
using Maille.Model;

namespace Maille.Engine.Allocation;

/// <summary>A Service's earlier ClusterIP, node ports and health-check node port.</summary>
internal sealed record PriorService(IPAddress? ClusterIP, EquatableArray<PriorNodePort> NodePorts, int? HealthCheckNodePort);
