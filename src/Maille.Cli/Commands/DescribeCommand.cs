using System.CommandLine;
using Maille.Cli.Input;
using Maille.Kube.Views;

namespace Maille.Cli.Commands;

/// <summary>
/// <c>maille describe netpol [NAME] (-f PATH… | --lab NAME) [-n NS | -A]</c>: kubectl's description of NetworkPolicies,
/// with each rule's counter on a running lab.
/// </summary>
internal static class DescribeCommand
{
    public static Command Create(CliContext context)
    {
        var files = CommonOptions.Files(required: false);
        var lab = new Option<string?>("--lab") { Description = "Describe a running lab's policies, with the connections each rule allowed (summed over the nodes)" };
        var config = CommonOptions.Config();
        var kubeconfig = CommonOptions.Kubeconfig();
        var kubeContext = CommonOptions.Context();
        var namespaceOption = CommonOptions.Namespace();
        var allNamespaces = CommonOptions.AllNamespaces();
        var kind = new Argument<string>("KIND") { Description = "networkpolicies (netpol) or pods (po)" };
        var name = new Argument<string?>("NAME") { Description = "One policy by name (default: every policy of the namespace)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("describe", """
            Describe NetworkPolicies as kubectl describe does: the pods they select, each ingress and egress rule's
            ports and peers, the policy types. On a running lab, each rule also shows what it matched: the
            connections it allowed (packets: only a connection's first packet meets a policy rule) and their
            bytes, summed over every node, with each node's share.
            Describe pods: their node, address, service account, containers and ports, and their place in the
            service mesh (whether they are in it and why, their SPIFFE identity, and on a running lab the workload
            certificate their node proxy presents and when it expires).

            Examples:
              maille describe netpol allow-api-from-frontend -n shop-api -f examples/shop
              sudo maille describe netpol allow-api-from-frontend -n shop-api --lab demo
              sudo maille describe netpol -A --lab demo
              maille describe netpol -A --context maille-demo    # a running cluster, read through its API
              maille describe pod -n ambient-demo -f examples/mesh   # its mesh identity (SPIFFE), and why it is in the mesh
              sudo maille describe pod -n ambient-demo --lab mesh     # …and the certificate its node proxy presents, with its expiry
            """)
        {
            kind,
            name,
            files,
            config,
            namespaceOption,
            allNamespaces,
            lab,
            kubeconfig,
            kubeContext,
        };
        command.SetAction(parse =>
        {
            if (!ResourceKinds.TryParse(parse.GetValue(kind)!, out var resource) || resource is not (ResourceKind.NetworkPolicies or ResourceKind.Pods))
            {
                context.Stderr.WriteLine($"error: maille describe knows networkpolicies (netpol) and pods (po); `maille get {parse.GetValue(kind)} NAME -o yaml` shows any object");
                return 1;
            }

            var paths = parse.GetValue(files) ?? [];
            var labName = parse.GetValue(lab);
            var live = ClusterInput.Live(parse.GetValue(kubeconfig), parse.GetValue(kubeContext));
            if (new[] { paths.Length > 0, labName is not null, live is not null }.Count(given => given) != 1)
            {
                context.Stderr.WriteLine("error: give manifests with -f, a running lab with --lab, or a running cluster with --kubeconfig/--context (one of them)");
                return 1;
            }

            var objectName = parse.GetValue(name);
            var ns = parse.GetValue(namespaceOption) ?? "default";
            var all = parse.GetValue(allNamespaces);
            if (labName is not null)
            {
                return Lab.LabViews.Show(context, labName, "describe", [
                    ("resource", ResourceKinds.Plural(resource)), ("name", objectName), ("namespace", ns), ("allNamespaces", all ? "true" : null)]);
            }

            var cluster = ClusterInput.Load(paths, live, parse.GetValue(config), context);
            return cluster is null ? 1
                : resource == ResourceKind.Pods ? DescribeView.WritePods(cluster, objectName, ns, all, certificateOf: null, TimeProvider.System, context.Stdout, context.Stderr)
                : DescribeView.Write(cluster, objectName, ns, all, counters: null, context.Stdout, context.Stderr);
        });
        return command;
    }
}
