using System.Globalization;
using System.Text.Json.Nodes;
using Maille.Model;

namespace Maille.Kube.Tables;

/// <summary>
/// The tables of the objects that configure the lab's services rather than carry traffic: Secrets and IngressClasses
/// with kubectl's printers' columns, and MetalLB's kinds with the columns their CRDs declare
/// (<c>additionalPrinterColumns</c> in MetalLB's <c>config/crd/bases</c>). For a custom resource the API server puts
/// NAME first and adds no AGE when a CRD declares columns; a list is printed as JSON, as its JSONPath printer does.
/// </summary>
public sealed partial class ResourceTables
{
    public KubectlTable Secrets(IEnumerable<Secret> secrets, bool allNamespaces)
    {
        var table = new KubectlTable(WithNamespace(["NAME", "TYPE", "DATA", "AGE"], allNamespaces));
        foreach (var secret in secrets)
        {
            table.Add(WithNamespace([secret.Meta.Name, secret.Type, secret.Data.Count.ToString(CultureInfo.InvariantCulture), Age(secret.Meta)], allNamespaces, secret.Meta.Namespace ?? ""));
        }

        return table;
    }

    public KubectlTable IngressClasses(IEnumerable<IngressClass> classes)
    {
        var table = new KubectlTable(["NAME", "CONTROLLER", "PARAMETERS", "AGE"]);
        foreach (var ingressClass in classes)
        {
            table.Add(ingressClass.Name, ingressClass.Controller ?? "", ingressClass.Parameters?.ToString() ?? "<none>", Age(ingressClass.Meta));
        }

        return table;
    }

    public KubectlTable IPAddressPools(IEnumerable<IPAddressPool> pools, bool allNamespaces)
    {
        var table = new KubectlTable(WithNamespace(["NAME", "AUTO ASSIGN", "AVOID BUGGY IPS", "ADDRESSES"], allNamespaces));
        foreach (var pool in pools)
        {
            var spec = KubeObjectWriter.Write(pool)["spec"]!;
            table.Add(WithNamespace([pool.Name, Bool(pool.AutoAssign), Bool(pool.AvoidBuggyIPs), Cell(spec["addresses"])], allNamespaces, pool.Meta.Namespace ?? ""));
        }

        return table;
    }

    /// <summary>NODE SELECTORS has priority 10 in MetalLB's CRD: only <c>-o wide</c> shows it.</summary>
    public KubectlTable L2Advertisements(IEnumerable<L2Advertisement> advertisements, bool wide, bool allNamespaces)
    {
        List<string> headers = ["NAME", "IPADDRESSPOOLS", "IPADDRESSPOOL SELECTORS", "INTERFACES"];
        if (wide)
        {
            headers.Add("NODE SELECTORS");
        }

        var table = new KubectlTable(WithNamespace(headers, allNamespaces));
        foreach (var advertisement in advertisements)
        {
            var spec = KubeObjectWriter.Write(advertisement)["spec"]!;
            List<string> row = [advertisement.Name, Cell(spec["ipAddressPools"]), Cell(spec["ipAddressPoolSelectors"]), Cell(spec["interfaces"])];
            if (wide)
            {
                row.Add(Cell(spec["nodeSelectors"]));
            }

            table.Add(WithNamespace(row, allNamespaces, advertisement.Meta.Namespace ?? ""));
        }

        return table;
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A field as the CRD's JSONPath column prints it: a list or map as compact JSON, nothing as &lt;none&gt;.</summary>
    private static string Cell(JsonNode? value) => value is null ? "<none>" : value.ToJsonString();
}
