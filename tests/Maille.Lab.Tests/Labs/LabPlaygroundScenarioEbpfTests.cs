using Xunit.Abstractions;

namespace Maille.Lab.Tests.Labs;

/// <summary>The playground's scenarios (<see cref="PlaygroundScenarioSuite"/>) enforced by the eBPF data plane (tc programs and maps).</summary>
public sealed class LabPlaygroundScenarioEbpfTests(EbpfPlaygroundLab lab, ITestOutputHelper output) : PlaygroundScenarioSuite(lab, output), IClassFixture<EbpfPlaygroundLab>;
