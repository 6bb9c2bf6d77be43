namespace Maille.Cli.Compare;

/// <summary>The size of a comparison's workload and how long each measure runs (<c>maille compare</c>'s options).</summary>
/// <param name="Services">Services programmed for the "many Services" measures (the workload's first 10 included).</param>
/// <param name="Policies">NetworkPolicies selecting the server for the policy measures.</param>
/// <param name="DurationSeconds">Seconds of each iperf3 run.</param>
/// <param name="Rounds">Rounds of every traffic measure, the labs taken in turn (the order reversed every other round).</param>
/// <param name="Connects">Timed connects per lab, measure and round.</param>
internal sealed record ComparisonSettings(int Services, int Policies, int DurationSeconds, int Rounds, int Connects);
