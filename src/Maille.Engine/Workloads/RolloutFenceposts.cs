using System.Globalization;
using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// How far a rolling update may go above and below a Deployment's replicas, as the API resolves
/// <c>maxSurge</c>/<c>maxUnavailable</c>: a number as it is, a percentage of the replicas with the surge rounded up
/// and the unavailable rounded down; when both come to 0, one pod may be unavailable (else nothing could move).
/// Recreate has neither.
/// </summary>
public readonly record struct RolloutFenceposts(int MaxSurge, int MaxUnavailable)
{
    public static RolloutFenceposts Of(Workload deployment)
    {
        if (!deployment.Strategy.IsRollingUpdate)
        {
            return new RolloutFenceposts(0, 0);
        }

        var surge = Scaled(deployment.Strategy.MaxSurge, deployment.Replicas, roundUp: true);
        var unavailable = Scaled(deployment.Strategy.MaxUnavailable, deployment.Replicas, roundUp: false);
        return surge == 0 && unavailable == 0 ? new RolloutFenceposts(0, 1) : new RolloutFenceposts(surge, unavailable);
    }

    /// <summary>The unavailable pods the Available condition allows: none for Recreate or 0 replicas, never more than the replicas.</summary>
    public static int AllowedUnavailable(Workload deployment) =>
        !deployment.Strategy.IsRollingUpdate || deployment.Replicas == 0 ? 0 : Math.Min(Of(deployment).MaxUnavailable, deployment.Replicas);

    /// <summary>An IntOrString against <paramref name="total"/>: <c>3</c> is 3, <c>25%</c> of 10 is 3 rounded up, 2 down.</summary>
    public static int Scaled(string value, int total, bool roundUp)
    {
        if (value.EndsWith('%') && int.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
        {
            var scaled = (long)percent * total;
            return (int)(roundUp ? (scaled + 99) / 100 : scaled / 100);
        }

        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? Math.Max(number, 0) : 0;
    }
}
