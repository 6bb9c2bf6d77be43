using Maille.Model;

namespace Maille.Engine.ServiceProxy;

/// <summary>
/// The ports of two plans of one node paired by id, for a data plane that writes only what changed: both lists are
/// sorted by id (<see cref="NodeServicePlan.Ports"/>), so one merge pass finds them, and a port the planner carried
/// over unchanged (the same reference) costs one comparison. Shared by the nftables and eBPF renderers.
/// </summary>
public static class ServicePortPairs
{
    /// <summary>The ports that differ: (old, new) for a changed one, (old, null) for one that went, (null, new) for one that came.</summary>
    public static IEnumerable<(ServicePortPlan? Old, ServicePortPlan? New)> Changed(EquatableArray<ServicePortPlan> before, EquatableArray<ServicePortPlan> after)
    {
        int i = 0, j = 0;
        while (i < before.Count || j < after.Count)
        {
            if (i < before.Count && j < after.Count && before[i] == after[j])
            {
                i++;
                j++;
                continue;
            }

            var order = i == before.Count ? 1 : j == after.Count ? -1 : string.CompareOrdinal(before[i].Id.ToString(), after[j].Id.ToString());
            if (order == 0)
            {
                yield return (before[i++], after[j++]);
            }
            else if (order < 0)
            {
                yield return (before[i++], null);
            }
            else
            {
                yield return (null, after[j++]);
            }
        }
    }
}
