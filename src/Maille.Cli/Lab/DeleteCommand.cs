using System.CommandLine;
using Maille.Cli.Commands;
using Maille.Kube;
using Maille.Lab.Api;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille delete -f PATH... | KIND NAME... [-n NS] [--lab NAME]</c>: removes objects from a running lab in one
/// transaction. Deleting a Namespace deletes what is in it.
/// </summary>
internal static class DeleteCommand
{
    public static Command Create(CliContext context)
    {
        var lab = LabCommon.LabOption();
        var files = CommonOptions.Files(required: false);
        var ns = CommonOptions.Namespace();
        var arguments = new Argument<string[]>("KIND NAME") { Description = "A kind (pod, svc, deploy, netpol, ns, ...) and one or more names", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("delete", """
            Delete objects from a running lab, named by files or by kind and name, as kubectl delete does: a deleted
            pod's namespace, veth and ports go, and Services and policies follow.

            Examples:
              sudo maille delete pod web-0 -n shop --lab demo
              sudo maille delete -f examples/netpol-playground/scenarios/deny-all.yaml --lab play
            """)
        {
            files,
            ns,
            lab,
            arguments,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(lab)!;
            if (!LabCommon.CanRunLab(context, name) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            var paths = parse.GetValue(files) ?? [];
            var words = parse.GetValue(arguments) ?? [];
            if ((paths.Length == 0) == (words.Length == 0))
            {
                context.Stderr.WriteLine("error: give either -f FILE... or KIND NAME..., not both (see maille delete --help)");
                return 1;
            }

            string body;
            if (paths.Length > 0)
            {
                if (ChangeInput.ReadDocuments(context, paths, validate: false) is not { } documents)
                {
                    return 1;
                }

                body = ManifestDocument.Render(documents);
            }
            else if (Reference(context, words, parse.GetValue(ns)) is { } yaml)
            {
                body = yaml;
            }
            else
            {
                return 1;
            }

            using var client = LabApi.Connect(context, name);
            return client is null ? 1 : LabApi.Send(context, client, HttpMethod.Post, $"/apis/{LabApiServer.MailleGroup}/delete", body);
        });
        return command;
    }

    /// <summary>
    /// The objects named by <c>KIND NAME...</c> or <c>KIND/NAME...</c>, as stub manifests (kind, name, namespace are all
    /// a deletion needs).
    /// </summary>
    private static string? Reference(CliContext context, string[] words, string? ns)
    {
        var references = new List<(KindName Kind, string Name)>();
        if (words.All(w => w.Contains('/', StringComparison.Ordinal)))
        {
            foreach (var word in words)
            {
                var slash = word.IndexOf('/', StringComparison.Ordinal);
                if (KindNames.Find(word[..slash]) is not { } kind)
                {
                    context.Stderr.WriteLine($"error: the server doesn't have a resource type \"{word[..slash]}\"");
                    return null;
                }

                references.Add((kind, word[(slash + 1)..]));
            }
        }
        else
        {
            if (words.Length < 2 || KindNames.Find(words[0]) is not { } kind)
            {
                context.Stderr.WriteLine(words.Length < 2
                    ? "error: give a kind and at least one name: maille delete pod NAME"
                    : $"error: the server doesn't have a resource type \"{words[0]}\"");
                return null;
            }

            references.AddRange(words.Skip(1).Select(n => (kind, n)));
        }

        return string.Concat(references.Select(r => $"---\napiVersion: {r.Kind.ApiVersion}\nkind: {r.Kind.Kind}\nmetadata:\n  name: \"{r.Name}\"\n"
            + (r.Kind.Namespaced ? $"  namespace: \"{ns ?? "default"}\"\n" : "")));
    }
}
