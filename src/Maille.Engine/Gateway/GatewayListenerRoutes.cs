using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>A programmed listener of a Gateway and the matches of the routes attached to it, HTTP and gRPC apart (they are never merged).</summary>
internal sealed record GatewayListenerRoutes(GatewayListener Listener, GatewayHostGroups Http, GatewayHostGroups Grpc);
