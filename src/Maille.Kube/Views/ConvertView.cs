using k8s;
using k8s.Models;
using Maille.Engine;
using Maille.Engine.Gateways;

namespace Maille.Kube.Views;

/// <summary>
/// <c>maille convert ingress-to-gateway</c>: the Gateway API objects <see cref="IngressConversion"/> writes for the
/// cluster's Ingresses, as manifests ready for <c>kubectl apply -f</c> (YAML documents, or a JSON <c>List</c>), and its
/// warnings on standard error. Exit codes (a contract): <see cref="Exact"/>, <see cref="WithWarnings"/>,
/// <see cref="BadInput"/>.
/// </summary>
public static class ConvertView
{
    /// <summary>Every request is routed as the Ingresses routed it.</summary>
    public const int Exact = 0;

    /// <summary>The input could not be read or planned, has no Ingress, or an option is wrong: nothing is written.</summary>
    public const int BadInput = 2;

    /// <summary>Written, with warnings for what the Gateway API objects do not do as the Ingresses did.</summary>
    public const int WithWarnings = 3;

    public static int Write(ClusterState cluster, IngressConversionOptions options, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (cluster.Ingresses.Count == 0)
        {
            stderr.WriteLine("error: the input has no Ingress: nothing to convert");
            return BadInput;
        }

        var result = IngressConversion.Convert(cluster, options);
        var objects = Objects(result);
        if (json)
        {
            KubeOutput.WriteJson(stdout, objects, single: false);
        }
        else
        {
            stdout.Write(Yaml(objects));
        }

        foreach (var warning in result.Warnings)
        {
            stderr.WriteLine(warning);
        }

        return result.IsExact ? Exact : WithWarnings;
    }

    /// <summary>The objects as YAML documents separated by <c>---</c>, as one file for <c>kubectl apply -f</c>.</summary>
    public static string Yaml(IngressConversionResult result) => Yaml(Objects(result));

    private static string Yaml(IReadOnlyList<object> objects) =>
        string.Join("---\n", objects.Select(o => KubernetesYaml.Serialize(o).TrimEnd('\n') + "\n"));

    /// <summary>
    /// The objects in the order they can be applied in (class, Gateways, grants, routes), as manifests: no status,
    /// and no uid or generation, which the API server assigns.
    /// </summary>
    private static List<object> Objects(IngressConversionResult result)
    {
        var objects = new List<object>();
        if (result.GatewayClass is { } gatewayClass)
        {
            objects.Add(GatewayObjectWriter.Write(gatewayClass, GatewayPlan.Empty));
        }

        objects.AddRange(result.Gateways.Select(g => GatewayObjectWriter.Write(g, GatewayPlan.Empty)));
        objects.AddRange(result.ReferenceGrants.Select(GatewayObjectWriter.Write));
        objects.AddRange(result.HttpRoutes.Select(r => GatewayObjectWriter.Write(r, GatewayPlan.Empty)));
        foreach (var item in objects)
        {
            var meta = (V1ObjectMeta)((IDictionary<string, object?>)item)["metadata"]!;
            meta.Uid = null;
            meta.Generation = null;
        }

        return objects;
    }
}
