using System.Text;
using Maille.Lab.Labs;
using YamlDotNet.RepresentationModel;

namespace Maille.Lab.Api;

/// <summary>
/// The lab in kubeconfig terms: a cluster, a user and a context all named <c>maille-LAB</c>, as kind names its
/// <c>kind-NAME</c>. <see cref="Standalone"/> is a whole file; <see cref="Merge"/> and <see cref="Remove"/> edit a
/// user's file in place, touching only those three entries and <c>current-context</c>, and keeping everything else in
/// it (fields Maille does not know included: the file is edited as YAML, not through a model that would drop them).
/// </summary>
public static class LabKubeconfig
{
    private static readonly string[] Sections = ["clusters", "users", "contexts"];

    public static string ContextName(string lab) => "maille-" + lab;

    /// <summary>A complete kubeconfig for the lab: one cluster, one user (the admin certificate), one context, current.</summary>
    public static string Standalone(string lab, int port, LabCredentials credentials) =>
        Build(ContextName(lab), ContextName(lab), port, credentials.AuthorityPem, credentials.AdminCertificatePem, credentials.AdminKeyPem);

    /// <summary>
    /// The kubeconfig of <paramref name="node"/>'s agent: the node's own certificate (<c>system:node:NODE</c>), and the
    /// API on the node namespace's loopback at <paramref name="port"/>, where the agent process runs.
    /// </summary>
    public static string ForNodeAgent(string lab, string node, int port, LabCredentials credentials, string certificatePem, string keyPem) =>
        Build(ContextName(lab), $"system:node:{node}", port, credentials.AuthorityPem, certificatePem, keyPem);

    private static string Build(string name, string user, int port, string authorityPem, string certificatePem, string keyPem) => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {{name}}
          cluster:
            server: https://127.0.0.1:{{port}}
            certificate-authority-data: {{Base64(authorityPem)}}
        users:
        - name: {{user}}
          user:
            client-certificate-data: {{Base64(certificatePem)}}
            client-key-data: {{Base64(keyPem)}}
        contexts:
        - name: {{name}}
          context:
            cluster: {{name}}
            user: {{user}}
        current-context: {{name}}
        preferences: {}

        """;

    /// <summary>
    /// Puts <paramref name="standalone"/>'s cluster, user and context into the kubeconfig at <paramref name="path"/>
    /// (created if missing), replacing entries of the same names, and makes its context current. The file is
    /// replaced in one rename, 0600, owned by <paramref name="owner"/> when given (the user who ran sudo).
    /// </summary>
    public static void Merge(string path, string standalone, (uint User, uint Group)? owner = null)
    {
        EnsureDirectory(path, owner);
        using var held = KubeconfigLock.Take(path);
        var target = Read(path);
        var source = Parse(standalone);
        foreach (var section in Sections)
        {
            var entries = Section(target, section);
            foreach (var entry in Section(source, section).Children.OfType<YamlMappingNode>())
            {
                RemoveNamed(entries, NameOf(entry));
                entries.Add(entry);
            }
        }

        target.Children[new YamlScalarNode("current-context")] = new YamlScalarNode(((YamlScalarNode)source.Children[new YamlScalarNode("current-context")]).Value);
        Write(path, target, owner);
    }

    /// <summary>
    /// Takes the cluster, user and context named <paramref name="name"/> out of the kubeconfig at <paramref name="path"/>
    /// (and <c>current-context</c> when it was that one), writing it back 0600 and owned by <paramref name="owner"/>
    /// when given (the user who ran sudo: the file is replaced, so it would otherwise become root's). False when the
    /// file held none of them.
    /// </summary>
    public static bool Remove(string path, string name, (uint User, uint Group)? owner = null)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var held = KubeconfigLock.Take(path);
        var target = Read(path);
        var removed = false;
        foreach (var section in Sections)
        {
            if (target.Children.TryGetValue(new YamlScalarNode(section), out var node) && node is YamlSequenceNode entries)
            {
                removed |= RemoveNamed(entries, name);
            }
        }

        if (target.Children.TryGetValue(new YamlScalarNode("current-context"), out var current) && current is YamlScalarNode { Value: var value } && value == name)
        {
            target.Children[new YamlScalarNode("current-context")] = new YamlScalarNode("");
            removed = true;
        }

        if (removed)
        {
            Write(path, target, owner);
        }

        return removed;
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));

    private static YamlMappingNode Read(string path)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        try
        {
            return string.IsNullOrWhiteSpace(text) ? Empty() : Parse(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"{path}: not a kubeconfig Maille can edit (line {e.Start.Line}: {e.Message})", e);
        }
    }

    private static YamlMappingNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new Maille.Kube.DepthLimitedParser(text));
        return stream.Documents.Count == 0 ? Empty() : stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new YamlDotNet.Core.YamlException("the document is not a mapping");
    }

    private static YamlMappingNode Empty() => new()
    {
        { "apiVersion", "v1" },
        { "kind", "Config" },
        { "preferences", new YamlMappingNode() },
    };

    private static YamlSequenceNode Section(YamlMappingNode root, string name)
    {
        if (root.Children.TryGetValue(new YamlScalarNode(name), out var node) && node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        var created = new YamlSequenceNode();
        root.Children[new YamlScalarNode(name)] = created;   // a missing or null section ("clusters: null") becomes a list
        return created;
    }

    private static string? NameOf(YamlNode entry) =>
        entry is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode("name"), out var name) ? (name as YamlScalarNode)?.Value : null;

    private static bool RemoveNamed(YamlSequenceNode entries, string? name)
    {
        var gone = entries.Children.Where(e => NameOf(e) == name).ToList();
        foreach (var entry in gone)
        {
            entries.Children.Remove(entry);
        }

        return gone.Count > 0;
    }

    private static void EnsureDirectory(string path, (uint User, uint Group)? owner)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
            Chown(directory, owner);
        }
    }

    private static void Write(string path, YamlMappingNode root, (uint User, uint Group)? owner)
    {
        var text = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(text, assignAnchors: false);
        var yaml = text.ToString();

        // YamlDotNet ends a saved stream with the document-end marker "...", which kubectl reads but does not write.
        yaml = yaml.EndsWith("...\n", StringComparison.Ordinal) ? yaml[..^4] : yaml;
        PrivateFiles.Write(path, yaml);
        Chown(path, owner);
    }

    private static void Chown(string path, (uint User, uint Group)? owner)
    {
        if (owner is { } o && Dataplane.Linux.Interop.Libc.Chown(path, o.User, o.Group) != 0)
        {
            throw new IOException($"cannot give {path} to uid {o.User}: {System.Runtime.InteropServices.Marshal.GetLastPInvokeErrorMessage()}");
        }
    }
}
