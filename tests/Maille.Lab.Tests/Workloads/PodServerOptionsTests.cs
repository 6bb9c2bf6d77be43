using Maille.Lab.Workloads;
using Microsoft.Extensions.Logging.Abstractions;

namespace Maille.Lab.Tests.Workloads;

public sealed class PodServerOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(new PodServerOptions().Validate());
    }

    [Fact]
    public void Every_invalid_setting_is_reported_at_once_and_the_host_refuses_to_start_with_them()
    {
        var options = new PodServerOptions
        {
            AcceptQueueCapacity = 0,
            KeepAliveTimeout = TimeSpan.Zero,
            UdpReceiveBufferSize = 0,
        };

        var errors = options.Validate();
        var refused = Assert.Throws<ArgumentException>(
            () => new PodServerHost(options, NullLoggerFactory.Instance, TimeProvider.System));

        Assert.Equal(3, errors.Count);
        Assert.All(errors, error => Assert.Contains(error, refused.Message, StringComparison.Ordinal));
    }
}
