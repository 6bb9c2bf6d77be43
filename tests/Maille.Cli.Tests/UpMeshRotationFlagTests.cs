namespace Maille.Cli.Tests;

/// <summary><c>maille up --mesh-certificate-rotation</c>: a bad value is refused before anything is built (no root needed to see it).</summary>
public sealed class UpMeshRotationFlagTests
{
    [Theory]
    [InlineData("5s")]
    [InlineData("soon")]
    [InlineData("9000h")]
    public void A_bad_rotation_period_is_refused_with_the_rule(string value)
    {
        var (exitCode, stdout, stderr) = CliRunner.Run("up", "-f", "examples/mesh", "--lab", "never-built", "--mesh-certificate-rotation", value);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"--mesh-certificate-rotation {value}: must be a duration such as 30s, 10m or 12h, at least 10s and at most 8760h", stderr + stdout, StringComparison.Ordinal);
    }
}
