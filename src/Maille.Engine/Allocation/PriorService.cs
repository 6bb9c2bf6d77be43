using System.Net;
using Maille.Model;

namespace Maille.Engine.Allocation;

/// <summary>A Service's earlier ClusterIP, node ports, health-check node port and LoadBalancer addresses.</summary>
public sealed record PriorService(IPAddress? ClusterIP, EquatableArray<PriorNodePort> NodePorts, int? HealthCheckNodePort, EquatableArray<string> LoadBalancerIngress = default);
