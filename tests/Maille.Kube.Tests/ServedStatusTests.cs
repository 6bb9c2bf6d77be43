using Maille.Model;
using Maille.TestKit;

namespace Maille.Kube.Tests;

public sealed class ServedStatusTests
{
    private static readonly DateTimeOffset Started = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The instant the lab saw, with the fraction of a second the API's whole-second timestamps drop.</summary>
    private static readonly DateTimeOffset StartedExactly = Started.AddMilliseconds(420);

    private static readonly NodeSystem Machine = new()
    {
        Cpus = 8,
        MemoryKibibytes = 16_318_412,
        KernelVersion = "6.8.0",
        OsImage = "Ubuntu 24.04 LTS",
        Architecture = "amd64",
        KubeletVersion = "v1.32.0+maille.1.0.0",
        ContainerRuntimeVersion = "maille://1.0.0",
        MachineId = "m",
        BootId = "b",
    };

    [Fact]
    public void A_running_pod_has_the_four_conditions_its_addresses_and_a_running_container()
    {
        var pod = Cluster.Valid("""
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x}
            spec: {nodeName: node-1, containers: [{name: c, image: agnhost}]}
            """).Pods.Single();

        var status = ServedStatus.Pod(pod, new PodTimes(StartedExactly, StartedExactly.AddSeconds(5)));

        Assert.Equal("Running", status.Phase);
        Assert.Equal(["PodScheduled=True", "Initialized=True", "ContainersReady=True", "Ready=True"], status.Conditions.Select(c => $"{c.Type}={c.Status}"));
        Assert.Equal(Started.AddSeconds(5).UtcDateTime, status.Conditions.Single(c => c.Type == "Ready").LastTransitionTime);
        Assert.Equal(pod.Status.PodIP!.ToString(), status.PodIPs.Single().Ip);
        Assert.Equal(pod.Status.HostIP!.ToString(), status.HostIPs.Single().Ip);
        Assert.Equal(Started.UtcDateTime, status.StartTime);
        var container = status.ContainerStatuses.Single();
        Assert.Equal(("c", "agnhost", true, true, 0), (container.Name, container.Image, container.Ready, container.Started, container.RestartCount));
        Assert.Equal(Started.UtcDateTime, container.State.Running.StartedAt);
    }

    [Fact]
    public void A_pod_no_node_can_take_is_unschedulable_and_its_containers_wait()
    {
        var pod = new Pod
        {
            Meta = new ObjectMeta { Name = "a", Namespace = "x" },
            Spec = new PodSpec { Containers = new EquatableArray<Container>(new List<Container> { new() { Name = "c" } }) },
            Status = new PodStatus { Phase = "Pending", Ready = false },
        };

        var status = ServedStatus.Pod(pod, new PodTimes(Started, Started));

        Assert.Equal(("False", "Unschedulable"), (status.Conditions[0].Status, status.Conditions[0].Reason));
        Assert.Equal("False", status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Null(status.StartTime);
        Assert.Equal("Pending", status.ContainerStatuses.Single().State.Waiting.Reason);
    }

    [Fact]
    public void A_node_reports_readiness_no_pressure_its_addresses_and_the_machine()
    {
        var node = Cluster.Valid("""
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x}
            spec: {containers: [{name: c}]}
            """).Nodes[0];

        var up = ServedStatus.Node(node, ready: true, Started, Machine);
        var down = ServedStatus.Node(node, ready: false, Started, Machine);

        Assert.Equal(["MemoryPressure=False", "DiskPressure=False", "PIDPressure=False", "Ready=True"], up.Conditions.Select(c => $"{c.Type}={c.Status}"));
        Assert.Equal("False", down.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal([("InternalIP", node.InternalIP!.ToString()), ("Hostname", node.Name)], up.Addresses.Select(a => (a.Type, a.Address)));
        Assert.Equal(("8", "16318412Ki", "110"), (up.Capacity["cpu"].ToString(), up.Capacity["memory"].ToString(), up.Allocatable["pods"].ToString()));
        Assert.Equal(("v1.32.0+maille.1.0.0", "linux", "amd64"), (up.NodeInfo.KubeletVersion, up.NodeInfo.OperatingSystem, up.NodeInfo.Architecture));
    }
}
