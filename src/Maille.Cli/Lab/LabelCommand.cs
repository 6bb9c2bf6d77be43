using System.CommandLine;
using System.Text.Json.Nodes;
using Maille.Kube;
using Maille.Lab.Api;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille label KIND NAME key=value... key-... [-n NS] [--overwrite] [--lab NAME]</c>: changes labels of an object in
/// a running lab, as kubectl label does; selectors of Services and policies see the change at once.
/// </summary>
internal static class LabelCommand
{
    public static Command Create(CliContext context)
    {
        var lab = LabCommon.LabOption();
        var ns = Commands.CommonOptions.Namespace();
        var overwrite = new Option<bool>("--overwrite") { Description = "Allow changing the value of a label that is already set" };
        var kindArgument = new Argument<string>("KIND") { Description = "pod or ns (any kind maille reads works)" };
        var nameArgument = new Argument<string>("NAME");
        var labels = new Argument<string[]>("LABELS") { Description = "key=value to set, key- to remove", Arity = ArgumentArity.OneOrMore };
        var command = new Command("label", """
            Change labels of a pod or a namespace (or any object) in a running lab, as kubectl label does: Service
            endpoints and NetworkPolicy selections follow at once.

            Examples:
              sudo maille label pod a -n x pod=b --overwrite --lab play
              sudo maille label ns y ns=z --overwrite --lab play
              sudo maille label pod a -n x extra- --lab play
            """)
        {
            kindArgument,
            nameArgument,
            labels,
            ns,
            overwrite,
            lab,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(lab)!;
            if (!LabCommon.CanRunLab(context, name) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            var kindName = parse.GetValue(kindArgument)!;
            if (KindNames.Find(kindName) is not { } kind)
            {
                context.Stderr.WriteLine($"error: the server doesn't have a resource type \"{kindName}\"");
                return 1;
            }

            var changes = new JsonObject();
            foreach (var label in parse.GetValue(labels) ?? [])
            {
                if (label.EndsWith('-') && !label.Contains('=', StringComparison.Ordinal))
                {
                    changes[label[..^1]] = null;
                }
                else if (label.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals)
                {
                    changes[label[..equals]] = label[(equals + 1)..];
                }
                else
                {
                    context.Stderr.WriteLine($"error: invalid label spec: {label} (key=value sets, key- removes)");
                    return 1;
                }
            }

            var request = new JsonObject
            {
                ["kind"] = kind.Kind,
                ["namespace"] = kind.Namespaced ? parse.GetValue(ns) ?? "default" : null,
                ["name"] = parse.GetValue(nameArgument),
                ["labels"] = changes,
                ["overwrite"] = parse.GetValue(overwrite),
            };
            using var client = LabApi.Connect(context, name);
            return client is null ? 1 : LabApi.Send(context, client, HttpMethod.Post, $"/apis/{LabApiServer.MailleGroup}/label", request.ToJsonString(), "application/json");
        });
        return command;
    }
}
