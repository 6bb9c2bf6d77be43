using System.Text.Json.Nodes;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.TestKit;

namespace Maille.Lab.Tests.Api;

/// <summary>What a lab's API serves for some YAML, without a lab: the store's view of it planned and written.</summary>
internal static class ServedViews
{
    public static ApiView Of(string yaml)
    {
        var store = new LabStore(null);
        store.Update(Cluster.Valid(yaml), new ServedFacts { Written = LabManifests.Parse("lab.yaml", yaml, DateTimeOffset.UnixEpoch).ByKey });
        return store.Snapshot;
    }

    /// <summary>The object <paramref name="name"/> of <paramref name="resource"/> as the API writes it.</summary>
    public static JsonObject Served(ApiView view, ApiResource resource, string name) =>
        view.Write(resource, view.Objects(resource).Single(o => o.Meta.Name == name));
}
