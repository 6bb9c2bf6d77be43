using System.Runtime.CompilerServices;
using Maille.Engine;
using Maille.Engine.Gateways;

namespace Maille.Lab.Gateways;

/// <summary>
/// The Gateway controller's plan of each cluster state, computed once per state and shared by everything that reads
/// it (the API's objects, tables and status, and the proxy): a plan is a pure function of the state, and a state is
/// immutable, so one computation serves them all and two readers never see two plans of one state.
/// </summary>
internal static class GatewayPlans
{
    private static readonly ConditionalWeakTable<ClusterState, GatewayPlan> Plans = [];

    public static GatewayPlan Of(ClusterState cluster) => Plans.GetValue(cluster, GatewayController.Build);
}
