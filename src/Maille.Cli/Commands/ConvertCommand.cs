using System.CommandLine;
using Maille.Cli.Input;
using Maille.Engine.Gateways;
using Maille.Kube.Views;

namespace Maille.Cli.Commands;

/// <summary>
/// <c>maille convert ingress-to-gateway -f PATH... [-o yaml|json] [--gateway-class NAME] [--gateway NS/NAME]</c>:
/// Gateway API manifests that route as the input's Ingresses do (<see cref="IngressConversion"/>). Exit codes as
/// <see cref="ConvertView"/> says: 0 exact, 3 written with warnings, 2 bad input or usage.
/// </summary>
internal static class ConvertCommand
{
    public const string IngressToGateway = "ingress-to-gateway";

    public static Command Create(CliContext context)
    {
        var filesOption = CommonOptions.Files();
        var outputOption = CommonOptions.CreateOutput("yaml", "json");
        var classOption = new Option<string?>("--gateway-class")
        {
            Description = "Use this existing GatewayClass; without it a GatewayClass \"maille\" of controller maille.dev/gateway-controller is written",
        };
        var gatewayOption = new Option<string?>("--gateway")
        {
            Description = "NS/NAME: put every Ingress behind this one Gateway, instead of one Gateway per IngressClass",
        };
        var ingressToGateway = new Command(IngressToGateway, """
            Write a GatewayClass, Gateways (one per IngressClass: HTTP on 80, HTTPS on 443 per TLS host, with
            ReferenceGrants for Secrets in other namespaces) and HTTPRoutes (one per Ingress and host) that route
            every request as Maille's Ingress controller routes the input's Ingresses. What they cannot express is a
            warning on standard error, naming the file, the Ingress and the field.
            Exit code 0: exact; 3: written, with warnings; 2: bad input or usage, nothing written.

            Examples:
              maille convert ingress-to-gateway -f examples/shop > shop-gateway.yaml
              maille convert ingress-to-gateway -f examples/shop --gateway edge/public -o json
            """)
        {
            filesOption,
            outputOption,
            classOption,
            gatewayOption,
        };
        ingressToGateway.SetAction(parse =>
        {
            var gateway = parse.GetValue(gatewayOption);
            var parts = gateway?.Split('/');
            if (parts is not null && (parts.Length != 2 || parts.Any(string.IsNullOrEmpty)))
            {
                context.Stderr.WriteLine($"error: --gateway {gateway}: expected NAMESPACE/NAME");
                return ConvertView.BadInput;
            }

            var cluster = ClusterInput.Load(parse.GetValue(filesOption) ?? [], null, context);
            if (cluster is null)
            {
                return ConvertView.BadInput;
            }

            var options = new IngressConversionOptions
            {
                GatewayClassName = parse.GetValue(classOption),
                GatewayNamespace = parts?[0],
                GatewayName = parts?[1],
            };
            return ConvertView.Write(cluster, options, parse.GetValue(outputOption) == "json", context.Stdout, context.Stderr);
        });
        return new Command("convert", "Convert manifests from one API to another (ingress-to-gateway).") { ingressToGateway };
    }
}
