using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// Shares one <see cref="IngressLab"/> between the tests of a class: brought up by the first test that asks (after
/// <see cref="Privileged.Require"/>, so without root every test skips and nothing is made), taken down after the last.
/// </summary>
public sealed class IngressLabFixture : IDisposable
{
    private readonly Lazy<IngressLab> _lab = new(IngressLab.Up, LazyThreadSafetyMode.ExecutionAndPublication);

    internal IngressLab Lab
    {
        get
        {
            Privileged.Require();
            return _lab.Value;
        }
    }

    public void Dispose()
    {
        if (_lab.IsValueCreated)
        {
            _lab.Value.Dispose();
        }
    }
}
