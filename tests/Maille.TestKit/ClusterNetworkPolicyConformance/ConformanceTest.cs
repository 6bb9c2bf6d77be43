namespace Maille.TestKit;

/// <summary>One upstream conformance test of <see cref="ConformanceSuite"/>: its ShortName and its subtests, run in the world <c>open</c> makes.</summary>
internal sealed record ConformanceTest(string Name, Action<Func<ConformanceManifests, ConformanceCluster>> Run);
