using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json.Nodes;

namespace Maille.TestKit;

/// <summary>Link-layer facts read from inside a namespace with <c>ip -j</c>: an interface's MAC, a neighbour entry.</summary>
internal static class LinkLayer
{
    public static PhysicalAddress MacOf(string namespaceName, string interfaceName)
    {
        var links = JsonNode.Parse(HostNetworkSnapshot.Run("-j", "-n", namespaceName, "link", "show", interfaceName))!.AsArray();
        return Parse((string)links.Single()!["address"]!);
    }

    /// <summary>The MAC <paramref name="namespaceName"/> has cached for <paramref name="address"/>, or null when it has none.</summary>
    public static PhysicalAddress? Neighbour(string namespaceName, IPAddress address)
    {
        var entries = JsonNode.Parse(HostNetworkSnapshot.Run("-j", "-n", namespaceName, "neigh", "show", address.ToString()))!.AsArray();
        var lladdr = entries.Select(e => (string?)e!["lladdr"]).FirstOrDefault(l => l is not null);
        return lladdr is null ? null : Parse(lladdr);
    }

    /// <summary>
    /// Polls <see cref="Neighbour"/> every 20 ms, at most <paramref name="timeout"/>, until it is <paramref name="expected"/>;
    /// <see cref="PollResult{T}.Last"/> is the entry last seen.
    /// </summary>
    public static Task<PollResult<PhysicalAddress?>> WaitForNeighbourAsync(string namespaceName, IPAddress address, PhysicalAddress expected, TimeSpan timeout, Xunit.Abstractions.ITestOutputHelper? output = null) =>
        Poll.UntilAsync($"{namespaceName}'s neighbour entry for {address} is {expected}", () => Task.FromResult(Neighbour(namespaceName, address)),
            entry => Equals(entry, expected), output, timeout, TimeSpan.FromMilliseconds(20));

    private static PhysicalAddress Parse(string text) => PhysicalAddress.Parse(text.Replace(':', '-').ToUpperInvariant());
}
