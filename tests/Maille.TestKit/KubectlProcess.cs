using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Maille.TestKit;

/// <summary>
/// A kubectl that keeps running (<c>port-forward</c>) while the test works beside it: its output is collected as it
/// comes, and disposing kills it whatever happened, then writes what it said to the test's output.
/// </summary>
internal sealed partial class KubectlProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly ITestOutputHelper? _output;
    private readonly string _command;

    public KubectlProcess(ProcessStartInfo start, ITestOutputHelper? output)
    {
        _output = output;
        _command = string.Join(' ', start.ArgumentList);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"kubectl is not installed (run-tests installs it as root): {e.Message}");
        }

        _process.OutputDataReceived += (_, line) => Append(_stdout, line.Data);
        _process.ErrorDataReceived += (_, line) => Append(_stderr, line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stdout => Read(_stdout);

    public string Stderr => Read(_stderr);

    /// <summary>The local port of <c>port-forward</c>'s "Forwarding from 127.0.0.1:PORT" line, once it is printed.</summary>
    public async Task<int> LocalPortAsync()
    {
        var line = await Poll.UntilAsync($"kubectl {_command} says where it forwards from", () => Task.FromResult(ForwardingLine().Match(Stdout)), match => match.Success || _process.HasExited, _output, TimeSpan.FromSeconds(30));
        return line.Last.Success
            ? int.Parse(line.Last.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new Xunit.Sdk.XunitException($"kubectl {_command} did not say where it forwards from ({line}):\n{Stdout}{Stderr}");
    }

    /// <summary>kubectl's exit code once it exits by itself within <paramref name="timeout"/>, else null.</summary>
    public async Task<int?> ExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(TimeSpan.FromSeconds(10));
        _output?.WriteLine($"[kubectl] {_command}: {(_process.HasExited ? $"exit {_process.ExitCode}" : "still running")}\n{Stdout}{Stderr}");
        _process.Dispose();
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.Append(line).Append('\n');
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    [GeneratedRegex(@"Forwarding from 127\.0\.0\.1:(\d+) ->")]
    private static partial Regex ForwardingLine();
}
