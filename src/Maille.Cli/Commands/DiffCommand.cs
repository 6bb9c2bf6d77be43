using System.CommandLine;
using Maille.Cli.Input;
using Maille.Engine.NetworkPolicies;
using Maille.Kube.Views;

namespace Maille.Cli.Commands;

/// <summary>
/// <c>maille diff -f CURRENT... --with CANDIDATE... [--port PORT/PROTO]... [-o table|json] [--config FILE]</c>: the
/// connections a change of manifests gains and loses, pod to pod on each port, with the rules that decide them.
/// Exit codes as <c>diff</c>'s: 0 no difference, 1 a difference, 2 trouble (bad input).
/// </summary>
internal static class DiffCommand
{
    /// <summary>The exit code for input that cannot be compared (as <c>diff</c>'s 2), kept apart from "they differ" (1).</summary>
    public const int Trouble = 2;

    public static Command Create(CliContext context)
    {
        var currentOption = CommonOptions.Files();
        currentOption.Description = "The current manifests: file, folder (recursive) or - for stdin; repeatable";
        var candidateOption = new Option<string[]>("--with")
        {
            Description = "The candidate manifests to compare with: file or folder (recursive); repeatable",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var portsOption = CommonOptions.Ports("every containerPort the pods of either side declare");
        var outputOption = CommonOptions.CreateOutput("table", "json");
        var configOption = CommonOptions.Config();
        var command = new Command("diff", """
            Compare the NetworkPolicy reachability of two sets of manifests: the connections (pod to pod, per port)
            the candidate gains and loses, each with the rules that decide it on both sides, or the default deny
            (the isolating policies none of whose rules allow it). Pods treated alike by every policy before and
            after share one line. Exit code 0 when nothing changes, 1 when something does, 2 when an input is bad.

            Examples:
              cd examples/netpol-playground
              maille diff -f pods.yaml --with pods.yaml --with scenarios/deny-all-ingress.yaml
              maille diff -f pods.yaml -f scenarios/peers-or.yaml --with pods.yaml --with scenarios/peers-and.yaml -o json
            """)
        {
            currentOption,
            candidateOption,
            portsOption,
            outputOption,
            configOption,
        };
        command.SetAction(parse =>
        {
            if (CommonOptions.ParsePorts(parse.GetValue(portsOption), context) is not { } ports)
            {
                return Trouble;
            }

            var currentPaths = parse.GetValue(currentOption) ?? [];
            var candidatePaths = parse.GetValue(candidateOption) ?? [];
            if (currentPaths.Contains("-") && candidatePaths.Contains("-"))
            {
                context.Stderr.WriteLine("error: standard input (-) can be read once: give it to -f or to --with, not both");
                return Trouble;
            }

            // Both sides are read and planned before anything is printed on stdout: a bad side prints its errors only.
            var config = parse.GetValue(configOption);
            var current = ClusterInput.Load(currentPaths, config, context);
            if (current is null)
            {
                context.Stderr.WriteLine("error: the current manifests (-f) do not plan; nothing was compared");
            }

            var candidate = ClusterInput.Load(candidatePaths, config, context);
            if (candidate is null)
            {
                context.Stderr.WriteLine("error: the candidate manifests (--with) do not plan; nothing was compared");
            }

            if (current is null || candidate is null)
            {
                return Trouble;
            }

            var diff = ReachabilityDiff.Compute(current, candidate, ports.Count > 0 ? ports : null);
            return WhatIfView.Write(diff, flows: null, json: parse.GetValue(outputOption) == "json", context.Stdout);
        });
        return command;
    }
}
