using Maille.Kube;

namespace Maille.Cli.Tests;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("2h", 7200)]
    [InlineData("90s", 90)]
    [InlineData("1500ms", 1.5)]
    public void KubectlsDurations_AreRead(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("ten")]
    [InlineData("10 m")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    [InlineData("5d")]
    [InlineData("99999999h")]
    public void AnythingElse_IsRefused(string text) => Assert.False(DurationText.TryParse(text, out _));
}
