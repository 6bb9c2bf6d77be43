using Xunit.Abstractions;

namespace Maille.Lab.Tests.Labs;

/// <summary>The playground's scenarios (<see cref="PlaygroundScenarioSuite"/>) enforced by the nftables data plane.</summary>
public sealed class LabPlaygroundScenarioTests(PlaygroundLab lab, ITestOutputHelper output) : PlaygroundScenarioSuite(lab, output), IClassFixture<PlaygroundLab>;
