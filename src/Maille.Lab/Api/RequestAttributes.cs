namespace Maille.Lab.Api;

/// <summary>
/// What a request asks to do, in the terms the API server authorizes by: a verb (<c>get</c>, <c>list</c>,
/// <c>watch</c>, <c>create</c>, <c>update</c>, <c>patch</c>, <c>delete</c>, <c>deletecollection</c>), the API group,
/// resource, subresource, namespace and name; or, for a path outside the resources (<c>/version</c>, discovery,
/// OpenAPI), the lower-cased HTTP method on that path. Read from the request line alone, before routing, as the API
/// server's request-info resolver does, so that a request is refused before any of its handler runs.
/// </summary>
public sealed record RequestAttributes(string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name, string? Path)
{
    public bool IsResourceRequest => Path is null;

    /// <summary>The resource as RBAC names it: <c>pods</c>, or <c>pods/exec</c> for a subresource.</summary>
    public string QualifiedResource => Subresource is null ? Resource : $"{Resource}/{Subresource}";

    /// <param name="watch">Whether the query asks for a watch (<c>watch=true</c> or <c>1</c>).</param>
    public static RequestAttributes From(string method, string path, bool watch)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int start;
        string group;
        if (parts is ["api", _, ..])
        {
            (group, start) = ("", 2);
        }
        else if (parts is ["apis", var named, _, ..])
        {
            (group, start) = (named, 3);
        }
        else
        {
            return new RequestAttributes(method.ToLowerInvariant(), "", "", null, null, null, path);
        }

        var rest = parts[start..];
        if (rest.Length == 0)
        {
            // The group version's own discovery document.
            return new RequestAttributes(method.ToLowerInvariant(), "", "", null, null, null, path);
        }

        string? ns = null;
        if (rest is ["namespaces", var scope, _, ..])
        {
            // namespaces/{ns}/{resource}…; but namespaces/{name}/status and /finalize are the Namespace's subresources.
            if (group.Length == 0 && rest.Length == 3 && rest[2] is "status" or "finalize")
            {
                return Resolve(method, watch, group, "namespaces", rest[2], null, scope);
            }

            ns = scope;
            rest = rest[2..];
        }

        return Resolve(method, watch, group, rest[0], rest.Length > 2 ? string.Join('/', rest[2..]) : null, ns, rest.Length > 1 ? rest[1] : null);
    }

    private static RequestAttributes Resolve(string method, bool watch, string group, string resource, string? subresource, string? ns, string? name)
    {
        var verb = method.ToUpperInvariant() switch
        {
            "GET" or "HEAD" when watch => "watch",
            "GET" or "HEAD" => name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            var other => other.ToLowerInvariant(),
        };

        // A Namespace's own name is its namespace, as the API server fills it in for namespaced authorization.
        return new RequestAttributes(verb, group, resource, subresource, resource == "namespaces" && group.Length == 0 ? name : ns, name, null);
    }
}
