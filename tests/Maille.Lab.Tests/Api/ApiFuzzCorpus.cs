using System.Text;
using Maille.Kube.Protobuf;
using Maille.TestKit;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// Seeded requests that no correct API may accept: malformed JSON and YAML, deep nesting, wrong kinds, kinds that
/// disagree with their path, fields of the wrong type, names with <c>/</c> and <c>..</c>, unknown verbs and paths, port-forwards
/// without an upgrade,
/// patches that are not objects, and patches of a real object that no API may apply (unknown ops and directives, a
/// merge list item without its key, a rename, server-side apply, unknown media types), and Kubernetes protobuf bodies
/// that are broken or name what no path takes. Every one must get a 4xx <c>Status</c> and change nothing. Reproducible by seed.
/// </summary>
internal sealed class ApiFuzzCorpus(int seed)
{
    private static readonly string[] Plurals = ["pods", "services", "namespaces", "nodes", "endpointslices", "networkpolicies", "ingresses", "deployments", "bogus", "", "..", "pods%2F..", "secrets"];
    private static readonly string[] Groups = ["", "apps/v1", "networking.k8s.io/v1", "discovery.k8s.io/v1", "maille.dev/v1alpha1", "nonsense/v9"];
    /// <summary>Path segments as sent on the wire (percent-encoded where HTTP requires it; dot segments raw or encoded).</summary>
    private static readonly string[] Names = ["..", ".", "a%2Fb", "%2E%2E", "%2e", "UPPER", "-lead", "x".PadRight(300, 'x'), "%C3%BCn%C3%AFcode", "a%20b", "%00", "nobody-here", "%27quote", "a..b"];
    private static readonly HttpMethod[] Methods = [HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete, HttpMethod.Post, HttpMethod.Put];

    private readonly Random _random = new(seed);

    public (HttpMethod Method, string Path, string? Body, string ContentType) Next()
    {
        var method = Methods[_random.Next(Methods.Length)];
        var group = Groups[_random.Next(Groups.Length)];
        var prefix = group.Length == 0 ? "/api/v1" : "/apis/" + group;
        var plural = Plurals[_random.Next(Plurals.Length)];
        var name = Names[_random.Next(Names.Length)];
        var path = _random.Next(6) switch
        {
            0 => $"{prefix}/namespaces/{name}/{plural}",
            1 => $"{prefix}/namespaces/{name}/{plural}/{name}",
            2 => $"{prefix}/{plural}/{name}",
            3 => _random.Next(2) == 0 ? "/apis/maille.dev/v1alpha1/" + new[] { "apply", "delete", "label", "nodes/node-9/stop", "nodes/node-1/explode", "views/probe", "views/get", "views/trace" }[_random.Next(8)] : $"{prefix}/{plural}",
            4 => $"/{name}/{plural}/../../{name}",
            _ => $"{prefix}/namespaces/x/{plural}/{name}",
        };
        if (_random.Next(16) == 0)
        {
            // The subresources, asked wrongly: exec without a WebSocket or a command, logs with bad parameters,
            // port-forward without an upgrade (its body, SPDY frames, is never read as one).
            var subresource = new[]
            {
                "/api/v1/namespaces/x/pods/a/exec?command=true", "/api/v1/namespaces/x/pods/a/exec", "/api/v1/namespaces/x/pods/nobody/exec?command=ls",
                "/api/v1/namespaces/x/pods/a/log?tailLines=-1", "/api/v1/namespaces/x/pods/a/log?container=nope", "/api/v1/namespaces/x/pods/a/log?limitBytes=x",
                "/api/v1/namespaces/x/pods?labelSelector=a%20in%20b", "/api/v1/pods?fieldSelector=spec.bogus%3D1", "/api/v1/services?fieldSelector=spec.nodeName%3Dn",
                "/api/v1/namespaces/x/pods/a/portforward", "/api/v1/namespaces/x/pods/a/portforward?ports=80", "/api/v1/namespaces/x/pods/nobody/portforward",
            }[_random.Next(12)];
            var post = subresource.Contains("/exec", StringComparison.Ordinal) || subresource.Contains("/portforward", StringComparison.Ordinal);
            var frames = subresource.Contains("/portforward", StringComparison.Ordinal) ? RandomBytes() : null;
            return (post ? HttpMethod.Post : HttpMethod.Get, subresource, frames, "application/octet-stream");
        }

        if (_random.Next(8) == 0)
        {
            // Patches of an object that exists (the playground's pod x/a, or a Deployment's scale), each one no API may apply.
            var (patch, patchType) = Patch();
            return (HttpMethod.Patch, _random.Next(4) == 0 ? "/apis/apps/v1/namespaces/x/deployments/nobody/scale" : "/api/v1/namespaces/x/pods/a", patch, patchType);
        }

        // Maille's batch verbs take any kind by design (a folder may hold ConfigMaps): they get bodies that do not parse.
        var (body, type) = path.StartsWith("/apis/maille.dev/", StringComparison.Ordinal) ? Malformed() : Body(plural, name);
        return (method, path, method == HttpMethod.Delete && _random.Next(2) == 0 ? null : body, type);
    }

    private (string Body, string ContentType) Body(string plural, string name)
    {
        var kind = plural.TrimEnd('s');
        return _random.Next(12) switch
        {
            0 => (Truncated("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"fuzz","namespace":"x"},"spec":{"containers":[{"name":"c","image":"i"}]}}"""), "application/json"),
            1 => (new string('[', 20_000 + _random.Next(80_000)), "application/json"),
            2 => ("a: " + new string('[', 5_000 + _random.Next(50_000)), "application/yaml"),
            3 => ("a:\n" + string.Concat(Enumerable.Range(1, 200 + _random.Next(800)).Select(i => new string(' ', i) + "b:\n")), "application/yaml"),
            4 => ($"apiVersion: v1\nkind: Bogus{_random.Next(100)}\nmetadata: {{name: fuzz}}\n", "application/yaml"),
            5 => ("apiVersion: v1\nkind: Service\nmetadata: {name: fuzz, namespace: x}\nspec: {ports: [{port: eighty}], selector: {app: [1, 2]}}\n", "application/yaml"),
            6 => ($"apiVersion: v1\nkind: {(kind.Length > 0 ? char.ToUpperInvariant(kind[0]) + kind[1..] : "Pod")}\nmetadata: {{name: \"{Uri.UnescapeDataString(name)}\"}}\n", "application/yaml"),
            7 => (RandomBytes(), "application/json"),
            8 => ("\t- :\n  - : [}{", "application/yaml"),
            9 => (_random.Next(3) switch { 0 => "[1,2,3]", 1 => "\"string\"", _ => "{\"metadata\":{\"labels\":[\"not\",\"a\",\"map\"]}}" }, "application/merge-patch+json"),
            10 => (Protobuf(Uri.UnescapeDataString(name).ToUpperInvariant()), KubeProtobuf.MediaType),
            _ => ("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"fuzz\",\"namespace\":\"x\"},\"spec\":{\"containers\":\"nope\"}", "application/json"),
        };
    }

    /// <summary>
    /// A Kubernetes protobuf body (as Latin-1 text, so its bytes below 0x80 go as they are): broken, compressed, of a
    /// kind not compiled, or a pod whose name no API may take (in upper case, which no pod name has, so none is made).
    /// </summary>
    private string Protobuf(string name) => Encoding.Latin1.GetString(_random.Next(7) switch
    {
        0 => [.. "k8s\0"u8, .. Encoding.Latin1.GetBytes(RandomBytes())],
        1 => Truncated(ProtobufBodies.Pod("x", "fuzz")),
        2 => ProtobufBodies.Envelope("v1", $"Bogus{_random.Next(100)}", Encoding.Latin1.GetBytes(RandomBytes())),
        3 => ProtobufBodies.Envelope("v1", "Pod", Encoding.Latin1.GetBytes(RandomBytes()), contentEncoding: "gzip"),
        4 => ProtobufBodies.Envelope("v1", "Namespace", Encoding.Latin1.GetBytes(RandomBytes())),
        5 => Encoding.Latin1.GetBytes(RandomBytes()),
        _ => ProtobufBodies.Pod("x", name),
    });

    private (string Body, string ContentType) Patch() => _random.Next(12) switch
    {
        0 => ("""[{"op":"bogus","path":"/x"}]""", "application/json-patch+json"),
        1 => ("""[{"op":"add"}]""", "application/json-patch+json"),
        2 => ("""[{"op":"replace","path":"/metadata/name","value":"other"}]""", "application/json-patch+json"),
        3 => ("""[{"op":"test","path":"/kind","value":"Service"}]""", "application/json-patch+json"),
        4 => ("""[{"op":"move","from":"/spec","path":"/spec/containers/0"}]""", "application/json-patch+json"),
        5 => ("""{"spec":{"containers":[{"image":"no-name"}]}}""", "application/strategic-merge-patch+json"),
        6 => ("""{"$patch":"bogus"}""", "application/strategic-merge-patch+json"),
        7 => ("""{"spec":{"containers":[1,"two"]}}""", "application/strategic-merge-patch+json"),
        8 => ("""{"metadata":{"namespace":"elsewhere"}}""", "application/merge-patch+json"),
        9 => ("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n", "application/apply-patch+yaml"),
        10 => (Truncated("""{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80}]}]}}"""), "application/strategic-merge-patch+json"),
        _ => ("""{"spec":{"containers":[{"name":"c","portz":[{"containerPort":80}]}]}}""", "application/bogus+json"),
    };

    private (string Body, string ContentType) Malformed() => _random.Next(5) switch
    {
        0 => (Truncated("""{"kind":"Pod","namespace":"x","name":"a","labels":{"pod":"z"}}"""), "application/json"),
        1 => ("a: " + new string('[', 5_000 + _random.Next(50_000)), "application/yaml"),
        2 => (RandomBytes(), "application/yaml"),
        3 => (_random.Next(2) == 0 ? "[1,2]" : """{"kind":7,"name":["a"],"labels":{"pod":1}}""", "application/json"),
        _ => ("\t- :\n  - : [}{", "application/yaml"),
    };

    private string Truncated(string json) => json[.._random.Next(1, json.Length - 1)];

    private byte[] Truncated(byte[] body) => body[.._random.Next(1, body.Length - 1)];

    private string RandomBytes()
    {
        var bytes = new byte[_random.Next(1, 2_000)];
        _random.NextBytes(bytes);
        return Encoding.Latin1.GetString(bytes);
    }
}
