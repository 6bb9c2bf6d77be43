using System.Globalization;
using System.Net;
using Maille.Engine.Validation;
using Maille.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Maille.Kube;

/// <summary>Reads a <c>ClusterConfig</c> file; every problem is reported with file, line and field.</summary>
public static class ClusterConfigLoader
{
    public static (ClusterConfig? Config, IReadOnlyList<Diagnostic> Diagnostics) Load(string path, string text)
    {
        var diagnostics = new List<Diagnostic>();
        ClusterConfigFile file;
        YamlNode? root = null;
        var configRef = new ObjectRef(ClusterConfig.KindName, null, Path.GetFileName(path));
        try
        {
            var stream = new YamlStream();
            stream.Load(new DepthLimitedParser(text));
            root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
            file = new DeserializerBuilder()
                .WithNamingConvention(CamelCaseNamingConvention.Instance)
                .WithNodeDeserializer(new ScalarFieldGuard(), where => where.OnTop())
                .Build()
                .Deserialize<ClusterConfigFile?>(text) ?? new ClusterConfigFile();
        }
        catch (YamlException e)
        {
            diagnostics.Add(root is not null && FieldTypeError.Find(root, e.Start, typeof(ClusterConfigFile)) is { } field
                ? Diagnostic.For(FieldErrorType.Invalid, configRef, new SourceLocation(path, 1, new YamlFieldLineMap(root)), field.Field, field.Value, field.Detail)
                : new Diagnostic { Type = FieldErrorType.Invalid, File = path, Line = (int)e.Start.Line, Detail = $"not a valid ClusterConfig: {(e.InnerException ?? e).Message}" });
            return (null, diagnostics);
        }

        var source = new SourceLocation(path, 1, root is null ? null : new YamlFieldLineMap(root));
        var errors = new FieldErrors(configRef, source, diagnostics);
        if (file.Kind != ClusterConfig.KindName)
        {
            errors.Invalid("kind", file.Kind ?? "", $"must be {ClusterConfig.KindName}");
        }

        if (file.ApiVersion != ClusterConfig.ApiVersion)
        {
            errors.Invalid("apiVersion", file.ApiVersion ?? "", $"must be {ClusterConfig.ApiVersion}");
        }

        var config = ClusterConfig.Default with { Source = path };
        config = config with
        {
            NodeCount = file.NodeCount ?? config.NodeCount,
            NodeNetwork = Cidr(errors, "nodeNetwork", file.NodeNetwork) ?? config.NodeNetwork,
            ClusterCidr = Cidr(errors, "clusterCIDR", file.ClusterCIDR) ?? config.ClusterCidr,
            PodCidrPrefix = file.PodCIDRPrefix ?? config.PodCidrPrefix,
            ServiceCidr = Cidr(errors, "serviceCIDR", file.ServiceCIDR) ?? config.ServiceCidr,
            DnsDomain = file.DnsDomain ?? config.DnsDomain,
            DnsServiceIP = Ip(errors, "dnsServiceIP", file.DnsServiceIP),
        };

        if (config.NodeCount is < 1 or > 250)
        {
            errors.Invalid("nodeCount", config.NodeCount, "must be between 1 and 250, inclusive");
        }

        if (config.PodCidrPrefix < config.ClusterCidr.PrefixLength || config.PodCidrPrefix > 30)
        {
            errors.Invalid("podCIDRPrefix", config.PodCidrPrefix, $"must be between {config.ClusterCidr.PrefixLength} and 30");
        }

        if (file.NodePortRange is { } range)
        {
            var parts = range.Split('-');
            if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var min) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var max)
                && min >= 1 && max <= 65535 && min < max)
            {
                config = config with { NodePortMin = min, NodePortMax = max };
            }
            else
            {
                errors.Invalid("nodePortRange", range, "must be FIRST-LAST, e.g. 30000-32767");
            }
        }

        if (file.Dataplane is { } dataplane)
        {
            if (DataplaneName(dataplane) is { } kind)
            {
                config = config with { Dataplane = kind };
            }
            else
            {
                errors.NotSupported("dataplane", dataplane, ["nftables", "ebpf"]);
            }
        }

        if (file.MeshCertificateRotation is { } rotation)
        {
            if (MeshCertificateRotation(rotation) is { } period)
            {
                config = config with { MeshCertificateRotation = period };
            }
            else
            {
                errors.Invalid("meshCertificateRotation", rotation, MeshCertificateRotationRule);
            }
        }

        if (config.DnsServiceIP is { } dns && !config.ServiceCidr.Contains(dns))
        {
            errors.Invalid("dnsServiceIP", dns.ToString(), $"must be inside serviceCIDR {config.ServiceCidr}");
        }

        var nodes = new List<NodeConfig>();
        for (var i = 0; i < (file.Nodes?.Count ?? 0); i++)
        {
            var node = file.Nodes![i];
            if (string.IsNullOrEmpty(node.Name))
            {
                errors.Required($"nodes[{i}].name");
                continue;
            }

            foreach (var problem in NameRules.Dns1123Subdomain(node.Name))
            {
                errors.Invalid($"nodes[{i}].name", node.Name, problem);
            }

            nodes.Add(new NodeConfig
            {
                Name = node.Name,
                Labels = Labels.From(node.Labels),
                PodCidr = Cidr(errors, $"nodes[{i}].podCIDR", node.PodCIDR),
                Address = Ip(errors, $"nodes[{i}].address", node.Address),
            });
        }

        var pools = new List<AddressPoolConfig>();
        for (var i = 0; i < (file.LoadBalancerPools?.Count ?? 0); i++)
        {
            var pool = file.LoadBalancerPools![i];
            pools.Add(new AddressPoolConfig(pool.Name ?? $"pool-{i}", new(pool.Addresses ?? [])));
        }

        config = config with
        {
            Nodes = new(nodes),
            LoadBalancerPools = file.LoadBalancerPools is null ? config.LoadBalancerPools : new(pools),
        };
        return (diagnostics.Any(d => d.IsError) ? null : config, diagnostics);
    }

    /// <summary>The data plane a name (<c>nftables</c>, <c>ebpf</c>) stands for, or null for any other.</summary>
    public static DataplaneKind? DataplaneName(string name) => name switch
    {
        "nftables" => DataplaneKind.Nftables,
        "ebpf" => DataplaneKind.Ebpf,
        _ => null,
    };

    /// <summary>What <see cref="MeshCertificateRotation"/> accepts, for messages.</summary>
    public const string MeshCertificateRotationRule = "must be a duration such as 30s, 10m or 12h, at least 10s and at most 8760h";

    /// <summary>A rotation period (<c>30s</c>, <c>10m</c>, <c>12h</c>) within the bounds, or null.</summary>
    public static TimeSpan? MeshCertificateRotation(string text) =>
        DurationText.TryParse(text, out var period) && period >= ClusterConfig.MinimumMeshCertificateRotation && period <= TimeSpan.FromHours(8760) ? period : null;

    private static IPNetwork? Cidr(FieldErrors errors, string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        var network = IpBlock.TryParse(text);
        if (network is null)
        {
            errors.Invalid(field, text, "must be a valid IPv4 CIDR value, (e.g. 198.18.0.0/24)");
        }
        else if (network.Value.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            errors.Invalid(field, text, "must be an IPv4 CIDR: IPv6 is not supported yet");
            return null;
        }

        return network;
    }

    private static IPAddress? Ip(FieldErrors errors, string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!IPAddress.TryParse(text, out var address))
        {
            errors.Invalid(field, text, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }

        return address;
    }
}
