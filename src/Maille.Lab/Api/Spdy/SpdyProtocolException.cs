namespace Maille.Lab.Api.Spdy;

/// <summary>A frame that breaks SPDY/3.1's rules: the session that read it ends (a session error, in the spec's words).</summary>
internal sealed class SpdyProtocolException(string message, Exception? inner = null) : Exception(message, inner);
