using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace Maille.Lab.Agent;

/// <summary>
/// Writes one node's <c>NodeAgent</c> status (<c>PUT /apis/maille.dev/v1alpha1/nodeagents/NODE/status</c>) so that it
/// works against a real API server as well as the lab's:
/// <list type="bullet">
/// <item>A real API server keeps the object only if someone created it, and a status PUT on a missing object answers
/// 404: the writer then creates it (POST, without status, which the status subresource ignores on create) and puts the
/// status again.</item>
/// <item>A custom resource is never updated unconditionally (the API server answers 422 without
/// <c>metadata.resourceVersion</c>, 409 with a stale one): the writer sends the version of the last answer, and when it
/// has none or it is stale, reads the object once and tries again.</item>
/// </list>
/// The lab answers the PUT itself, without a version, so there it is one request, as before.
/// </summary>
internal sealed class NodeAgentStatusWriter(IKubernetes client, string node)
{
    private const string Group = "maille.dev";
    private const string Version = "v1alpha1";
    private const string Plural = "nodeagents";

    private string? _resourceVersion;

    /// <summary>Writes <paramref name="status"/>; an API that stays away or refuses throws, as one request would.</summary>
    public async Task WriteAsync(JsonObject status, CancellationToken cancellationToken)
    {
        // One create and one re-read at most: a loop that always finds the object gone or changed is an API problem to report.
        var (created, reread) = (false, false);
        while (true)
        {
            try
            {
                var answer = await client.CustomObjects.ReplaceClusterCustomObjectStatusAsync<JsonObject>(Body(status, _resourceVersion), Group, Version, Plural, node, cancellationToken: cancellationToken);
                _resourceVersion = VersionOf(answer);
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound && !created)
            {
                created = true;
                _resourceVersion = await CreateAsync(cancellationToken);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity && !reread)
            {
                reread = true;
                _resourceVersion = VersionOf(await client.CustomObjects.GetClusterCustomObjectAsync<JsonObject>(Group, Version, Plural, node, cancellationToken));
            }
        }
    }

    /// <summary>Creates the node's NodeAgent, or finds it created meanwhile (another agent of the node, a restart): its version.</summary>
    private async Task<string?> CreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            return VersionOf(await client.CustomObjects.CreateClusterCustomObjectAsync<JsonObject>(Body(null, null), Group, Version, Plural, cancellationToken: cancellationToken));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return VersionOf(await client.CustomObjects.GetClusterCustomObjectAsync<JsonObject>(Group, Version, Plural, node, cancellationToken));
        }
    }

    private JsonObject Body(JsonObject? status, string? resourceVersion)
    {
        var metadata = new JsonObject { ["name"] = node };
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        var body = new JsonObject
        {
            ["apiVersion"] = $"{Group}/{Version}",
            ["kind"] = "NodeAgent",
            ["metadata"] = metadata,
        };
        if (status is not null)
        {
            // A copy: a node belongs to one parent, and a retry builds the body again.
            body["status"] = status.DeepClone();
        }

        return body;
    }

    private static string? VersionOf(JsonObject? answer) => answer?["metadata"]?["resourceVersion"]?.GetValue<string>();
}
