namespace Maille.TestKit;

/// <summary>
/// Gate for tests that create namespaces. Without root they skip and say why, except under CI (CI=true),
/// where a missing privilege is a failure: CI runs as root, and a green run must mean these tests ran.
/// </summary>
internal static class Privileged
{
    public static void Require()
    {
        if (Environment.IsPrivilegedProcess)
        {
            return;
        }

        const string Reason = "needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) to create network namespaces";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(Reason + "; CI=true, so this is a failure, not a skip");
        }

        Skip.If(true, Reason);
    }
}
