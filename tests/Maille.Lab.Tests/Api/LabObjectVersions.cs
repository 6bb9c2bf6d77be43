using Maille.Lab.Api;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// What a request that must change nothing must leave alone: every object the lab serves, by kind, name and own
/// resource version, one line each. Not the list's resource version: it moves every 10 s as the nodes' leases are
/// renewed, as on a cluster (so leases are left out).
/// </summary>
internal static class LabObjectVersions
{
    public static async Task<string> ReadAsync(LabApiClient api)
    {
        var lines = new List<string>();
        foreach (var resource in ApiResources.All.Where(r => r != ApiResources.Leases))
        {
            var path = resource.Group.Length == 0 ? $"/api/{resource.Version}/{resource.Plural}" : $"/apis/{resource.Group}/{resource.Version}/{resource.Plural}";
            var (code, list) = await api.SendAsync(HttpMethod.Get, path, null);
            Assert.Equal(200, code);
            lines.AddRange(list!["items"]!.AsArray().Select(i => $"{resource.Plural} {i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]} {i["metadata"]!["resourceVersion"]}"));
        }

        Assert.NotEmpty(lines);
        return string.Join("\n", lines);
    }
}
