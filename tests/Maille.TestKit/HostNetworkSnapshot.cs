using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Maille.TestKit;

/// <summary>
/// The host namespace's links, addresses, routes and policy rules as <c>ip -j</c> prints them (minus the address
/// lifetimes that count down by themselves), the forwarding and proxy-ARP sysctls the lab sets inside its own
/// namespaces, and the nftables ruleset. Two snapshots are equal when the host network did not change.
/// </summary>
internal sealed record HostNetworkSnapshot(string Links, string Addresses, string Routes, string Rules, string Sysctls, string Nftables)
{
    private static readonly string[] WatchedSysctls =
        ["net/ipv4/ip_forward", "net/ipv4/conf/all/forwarding", "net/ipv4/conf/all/proxy_arp", "net/ipv4/conf/default/proxy_arp"];

    public static HostNetworkSnapshot Take() =>
        new(Run("-j", "link"), Run("-j", "addr"), Run("-j", "route"), Run("-j", "rule"), ReadSysctls(), NftablesRuleset());

    private static string ReadSysctls() =>
        string.Join("\n", WatchedSysctls.Select(k => $"{k}={File.ReadAllText(Path.Combine("/proc/sys", k)).Trim()}"));

    /// <summary>The host's nftables ruleset, or a note when nft is not installed (then there is none Maille could have changed).</summary>
    private static string NftablesRuleset()
    {
        try
        {
            var start = new ProcessStartInfo("nft") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("list");
            start.ArgumentList.Add("ruleset");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "nft not installed";
        }
    }

    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start ip");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ip {string.Join(' ', arguments)} failed: {error}");
        return Normalise(output);
    }

    private static string Normalise(string json)
    {
        if (string.IsNullOrWhiteSpace(json) || !json.TrimStart().StartsWith('['))
        {
            return json;
        }

        var root = JsonNode.Parse(json);
        Strip(root);
        return root?.ToJsonString() ?? "";
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                obj.Remove("valid_life_time");
                obj.Remove("preferred_life_time");
                foreach (var (_, child) in obj.ToList())
                {
                    Strip(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Strip(child);
                }

                break;
        }
    }
}
