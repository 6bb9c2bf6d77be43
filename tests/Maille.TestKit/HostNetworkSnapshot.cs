using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Maille.TestKit;

/// <summary>
/// The host namespace's links, addresses and routes as <c>ip -j</c> prints them, minus the address lifetimes
/// that count down by themselves. Two snapshots are equal when the host network did not change.
/// </summary>
internal sealed record HostNetworkSnapshot(string Links, string Addresses, string Routes)
{
    public static HostNetworkSnapshot Take() =>
        new(Run("-j", "link"), Run("-j", "addr"), Run("-j", "route"));

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
