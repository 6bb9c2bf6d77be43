using Maille.TestKit;

namespace Maille.Cli.Tests;

// `maille agent` on the machine's own network namespace would rewrite the host's rules: it refuses unless told it is on
// a real node, and names what it did not understand before touching anything.
public sealed class AgentCommandTests
{
    [SkippableFact]
    public void The_agent_refuses_to_program_the_hosts_own_network_namespace_without_allow_host_network()
    {
        Privileged.Require();

        // The kubeconfig does not exist: were the guard missing, the agent would stop there, with another message.
        var (code, _, stderr) = CliRunner.Run("agent", "--node", "node-1", "--kubeconfig", "/nonexistent/kubeconfig");

        Assert.Equal(1, code);
        Assert.Contains("would program this machine's own network namespace", stderr, StringComparison.Ordinal);
        Assert.Contains("--allow-host-network", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_part_is_refused_by_name()
    {
        var (code, _, stderr) = CliRunner.Run("agent", "--node", "node-1", "--parts", "service-proxy,kube-proxy");

        Assert.Equal(1, code);
        Assert.Contains("--parts: unknown part \"kube-proxy\"", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ebpf_data_plane_needs_the_lab_s_cgroup_and_a_pin_folder_and_those_flags_need_it()
    {
        var (code, _, stderr) = CliRunner.Run("agent", "--node", "node-1", "--dataplane", "ebpf", "--cgroup", "/sys/fs/cgroup/unified/maille-x");
        Assert.Equal(1, code);
        Assert.Contains("--dataplane ebpf needs --cgroup (the lab's cgroup) and --bpf-pins (a folder of a bpffs)", stderr, StringComparison.Ordinal);

        (code, _, stderr) = CliRunner.Run("agent", "--node", "node-1", "--bpf-pins", "/run/maille/x/bpf/node-1");
        Assert.Equal(1, code);
        Assert.Contains("--cgroup and --bpf-pins go with --dataplane ebpf", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cgroup_path_that_is_no_cgroup_is_refused_before_the_agent_reads_anything()
    {
        // The kubeconfig does not exist: were the check missing, the agent would stop there, with another message.
        var (code, _, stderr) = CliRunner.Run("agent", "--node", "node-1", "--allow-host-network", "--kubeconfig", "/nonexistent/kubeconfig",
            "--dataplane", "ebpf", "--cgroup", "/nonexistent/maille-x", "--bpf-pins", "/nonexistent/bpf/node-1");

        Assert.Equal(1, code);
        Assert.Contains("--cgroup: /nonexistent/maille-x is not a cgroup", stderr, StringComparison.Ordinal);
    }
}
