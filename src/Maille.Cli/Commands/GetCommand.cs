using System.CommandLine;
using Maille.Cli.Input;
using Maille.Kube.Views;

namespace Maille.Cli.Commands;

/// <summary><c>maille get KIND [NAME] -f PATH [-n NS | -A] [-o wide|json|yaml]</c>: kubectl's get, over the planned cluster.</summary>
internal static class GetCommand
{
    public static Command Create(CliContext context)
    {
        var filesOption = CommonOptions.Files(required: false);
        var labOption = new Option<string?>("--lab") { Description = "Read a running lab instead of -f: the objects it was brought up with, with live readiness" };
        var configOption = CommonOptions.Config();
        var kubeconfigOption = CommonOptions.Kubeconfig();
        var contextOption = CommonOptions.Context();
        var namespaceOption = CommonOptions.Namespace();
        var allNamespacesOption = CommonOptions.AllNamespaces();
        var getOutputOption = CommonOptions.GetOutput();
        var kind = new Argument<string>("KIND") { Description = "What to list: " + string.Join(", ", ResourceKinds.Names) };
        var name = new Argument<string?>("NAME") { Description = "One object by name", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("get", """
            Show the planned objects as kubectl get would, with every allocated field filled in.

            Examples:
              maille get svc -A -f examples/shop
              maille get pods -n shop-web -o wide -f examples/shop
              maille get svc frontend -n shop-web -o yaml -f examples/shop
              sudo maille get pods -A -o wide --lab play
              sudo maille get netpol -A -o wide --lab play      # each policy rule's packets (connections allowed)
              maille get svc -A --context maille-play            # a running cluster, read through its API
              maille get gateways,httproutes -A -o yaml -f examples/gateway   # with the status Maille's Gateway controller computes
            """)
        {
            kind,
            name,
            filesOption,
            configOption,
            namespaceOption,
            allNamespacesOption,
            getOutputOption,
            labOption,
            kubeconfigOption,
            contextOption,
        };
        command.SetAction(parse =>
        {
            // kubectl's KIND,KIND...: every kind must be known; each is listed in turn.
            var resources = new List<ResourceKind>();
            foreach (var word in parse.GetValue(kind)!.Split(','))
            {
                if (!ResourceKinds.TryParse(word, out var parsed))
                {
                    context.Stderr.WriteLine($"error: the server doesn't have a resource type \"{word}\" (maille knows: {string.Join(", ", ResourceKinds.Names)})");
                    return 1;
                }

                resources.Add(parsed);
            }

            var resource = resources[0];

            var output = parse.GetValue(getOutputOption) ?? "";
            var files = parse.GetValue(filesOption) ?? [];
            var lab = parse.GetValue(labOption);
            var live = ClusterInput.Live(parse.GetValue(kubeconfigOption), parse.GetValue(contextOption));
            if (new[] { files.Length > 0, lab is not null, live is not null }.Count(given => given) != 1)
            {
                context.Stderr.WriteLine("error: give manifests with -f, a running lab with --lab, or a running cluster with --kubeconfig/--context (one of them)");
                return 1;
            }

            var request = new GetRequest(resource, parse.GetValue(name), parse.GetValue(namespaceOption) ?? "default", parse.GetValue(allNamespacesOption), output);
            if (resources.Count > 1 && (lab is not null || parse.GetValue(name) is not null))
            {
                context.Stderr.WriteLine("error: several kinds at once are listed from -f or a cluster, without NAME (a lab is asked one kind at a time)");
                return 1;
            }

            if (lab is not null)
            {
                return Lab.LabViews.Show(context, lab, "get", [
                    ("resource", ResourceKinds.Plural(resource)), ("name", request.Name), ("namespace", request.Namespace),
                    ("allNamespaces", request.AllNamespaces ? "true" : null), ("output", output)]);
            }

            var cluster = ClusterInput.Load(files, live, parse.GetValue(configOption), context);
            return cluster is null ? 1 : GetView.Write(cluster, resources, request, counters: null, TimeProvider.System, context.Stdout, context.Stderr);
        });
        return command;
    }
}
