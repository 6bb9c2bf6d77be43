using System.Net;
using Maille.Engine.Allocation;
using Maille.Model;

namespace Maille.Lab.Labs;

/// <summary>
/// The lab's allocations as JSON in its state folder, so that a restarted daemon (after <c>kill -9</c>) and the CLI
/// plan every pod and Service with the addresses and ports the running lab gave them.
/// </summary>
internal sealed record AllocationsFile
{
    public Dictionary<string, PodEntry> Pods { get; init; } = [];

    public Dictionary<string, ServiceEntry> Services { get; init; } = [];

    public static AllocationsFile From(PriorAllocations allocations) => new()
    {
        Pods = allocations.Pods.ToDictionary(p => p.Key, p => new PodEntry(p.Value.Node, p.Value.Address?.ToString()), StringComparer.Ordinal),
        Services = allocations.Services.ToDictionary(
            s => s.Key,
            s => new ServiceEntry(s.Value.ClusterIP?.ToString(), [.. s.Value.NodePorts.Select(p => new NodePortEntry(p.Port, p.Protocol.ToString(), p.NodePort))], s.Value.HealthCheckNodePort, [.. s.Value.LoadBalancerIngress]),
            StringComparer.Ordinal),
    };

    public PriorAllocations ToAllocations() => new()
    {
        Pods = Pods.ToDictionary(p => p.Key, p => new PriorPod(p.Value.Node, p.Value.Address is null ? null : IPAddress.Parse(p.Value.Address)), StringComparer.Ordinal),
        Services = Services.ToDictionary(
            s => s.Key,
            s => new PriorService(
                s.Value.ClusterIP is null ? null : IPAddress.Parse(s.Value.ClusterIP),
                new(s.Value.NodePorts.Select(p => new PriorNodePort(p.Port, Enum.Parse<Protocol>(p.Protocol), p.NodePort))),
                s.Value.HealthCheckNodePort,
                new(s.Value.LoadBalancerIngress ?? [])),
            StringComparer.Ordinal),
    };

    internal sealed record PodEntry(string Node, string? Address);

    internal sealed record ServiceEntry(string? ClusterIP, List<NodePortEntry> NodePorts, int? HealthCheckNodePort, List<string>? LoadBalancerIngress);

    internal sealed record NodePortEntry(int Port, string Protocol, int NodePort);
}
