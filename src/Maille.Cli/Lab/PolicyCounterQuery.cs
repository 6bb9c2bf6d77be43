using System.Runtime.Versioning;
using Maille.Kube.Tables;
using Maille.Lab.Api;

namespace Maille.Cli.Lab;

/// <summary>Asks a running lab's daemon for every NetworkPolicy rule's counters, summed over its node agents.</summary>
internal static class PolicyCounterQuery
{
    /// <summary>The totals by rule, or null (having said why) when the daemon cannot be asked.</summary>
    [SupportedOSPlatform("linux")]
    public static RuleCounters? Fetch(CliContext context, string lab)
    {
        using var client = LabApi.Connect(context, lab);
        if (client is null)
        {
            return null;
        }

        try
        {
            var (status, answer) = client.SendAsync(HttpMethod.Get, $"/apis/{LabApiServer.MailleGroup}/policycounters", null).GetAwaiter().GetResult();
            if (status != 200 || answer is null)
            {
                context.Stderr.WriteLine($"error: the lab's daemon answered {status} when asked for the policy counters");
                return null;
            }

            foreach (var error in answer["errors"]?.AsArray() ?? [])
            {
                context.Stderr.WriteLine($"warning: policy counters of {error} are left out");
            }

            return PolicyCountersResource.Counters(PolicyCountersResource.Parse(answer));
        }
        catch (HttpRequestException e)
        {
            context.Stderr.WriteLine($"error: the lab's daemon did not answer: {e.Message}");
            return null;
        }
    }
}
