using Maille.TestKit;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// The HTTP core conformance tests of the Gateway API (v1.6, conformance/tests/httproute-*.go), re-expressed on the
/// engine: each is a case of <see cref="HttpCoreConformance"/> (the same objects, requests, outcomes and statuses the
/// suite asserts, shared with the live lab's LabGatewayConformanceTests), checked by <see cref="EngineConformance"/>.
/// Each test is named after the suite's ShortName.
/// </summary>
public sealed class HttpCoreConformanceTests
{
    [Fact]
    public void HTTPRouteSimpleSameNamespace() => EngineConformance.Check(HttpCoreConformance.HTTPRouteSimpleSameNamespace);

    [Fact]
    public void HTTPRouteMatching() => EngineConformance.Check(HttpCoreConformance.HTTPRouteMatching);

    [Fact]
    public void HTTPRoutePathMatchOrder() => EngineConformance.Check(HttpCoreConformance.HTTPRoutePathMatchOrder);

    [Fact]
    public void HTTPRouteExactPathMatching() => EngineConformance.Check(HttpCoreConformance.HTTPRouteExactPathMatching);

    [Fact]
    public void HTTPRouteMatchingAcrossRoutes() => EngineConformance.Check(HttpCoreConformance.HTTPRouteMatchingAcrossRoutes);

    [Fact]
    public void HTTPRouteHeaderMatching() => EngineConformance.Check(HttpCoreConformance.HTTPRouteHeaderMatching);

    [Fact]
    public void HTTPRouteHostnameIntersection() => EngineConformance.Check(HttpCoreConformance.HTTPRouteHostnameIntersection);

    [Fact]
    public void HTTPRouteListenerHostnameMatching() => EngineConformance.Check(HttpCoreConformance.HTTPRouteListenerHostnameMatching);

    [Fact]
    public void HTTPRouteCrossNamespace() => EngineConformance.Check(HttpCoreConformance.HTTPRouteCrossNamespace);

    [Fact]
    public void HTTPRouteInvalidCrossNamespaceParentRef() => EngineConformance.Check(HttpCoreConformance.HTTPRouteInvalidCrossNamespaceParentRef);

    [Fact]
    public void HTTPRouteInvalidCrossNamespaceBackendRef() => EngineConformance.Check(HttpCoreConformance.HTTPRouteInvalidCrossNamespaceBackendRef);

    [Fact]
    public void HTTPRouteReferenceGrant() => EngineConformance.Check(HttpCoreConformance.HTTPRouteReferenceGrant);

    [Fact]
    public void HTTPRouteInvalidReferenceGrant() => EngineConformance.Check(HttpCoreConformance.HTTPRouteInvalidReferenceGrant);

    [Fact]
    public void HTTPRoutePartiallyInvalidViaInvalidReferenceGrant() => EngineConformance.Check(HttpCoreConformance.HTTPRoutePartiallyInvalidViaInvalidReferenceGrant);

    [Fact]
    public void HTTPRouteInvalidBackendRefUnknownKind() => EngineConformance.Check(HttpCoreConformance.HTTPRouteInvalidBackendRefUnknownKind);

    [Fact]
    public void HTTPRouteInvalidNonExistentBackendRef() => EngineConformance.Check(HttpCoreConformance.HTTPRouteInvalidNonExistentBackendRef);

    [Fact]
    public void HTTPRouteNoBackendRefs() => EngineConformance.Check(HttpCoreConformance.HTTPRouteNoBackendRefs);

    [Fact]
    public void HTTPRouteInvalidParentRefNotMatchingSectionName() => EngineConformance.Check(HttpCoreConformance.HTTPRouteInvalidParentRefNotMatchingSectionName);

    [Fact]
    public void HTTPRouteMultipleGateways() => EngineConformance.Check(HttpCoreConformance.HTTPRouteMultipleGateways);

    [Fact]
    public void HTTPRouteWeight() => EngineConformance.Check(HttpCoreConformance.HTTPRouteWeight);

    [Theory]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public void HTTPRoute30xRedirect(int code) => EngineConformance.Check(HttpCoreConformance.Redirect(code));

    [Fact]
    public void HTTPRouteRedirectHostAndStatus() => EngineConformance.Check(HttpCoreConformance.HTTPRouteRedirectHostAndStatus);

    [Fact]
    public void HTTPRouteRequestHeaderModifier() => EngineConformance.Check(HttpCoreConformance.HTTPRouteRequestHeaderModifier);

    [Fact]
    public void HTTPRouteHTTPSListener() => EngineConformance.Check(HttpCoreConformance.HTTPRouteHTTPSListener);

    [Fact]
    public void GatewayWithAttachedRoutes() => EngineConformance.Check(HttpCoreConformance.GatewayWithAttachedRoutes);

    [Fact]
    public void GatewayInvalidRouteKind() => EngineConformance.Check(HttpCoreConformance.GatewayInvalidRouteKind);

    [Fact]
    public void GatewayListenerUnsupportedProtocol() => EngineConformance.Check(HttpCoreConformance.GatewayListenerUnsupportedProtocol);

    [Fact]
    public void GatewayInvalidTLSConfiguration() => EngineConformance.Check(HttpCoreConformance.GatewayInvalidTLSConfiguration);

    [Fact]
    public void GatewaySecretMissingReferenceGrant() => EngineConformance.Check(HttpCoreConformance.GatewaySecretMissingReferenceGrant);

    [Fact]
    public void GatewaySecretInvalidReferenceGrant() => EngineConformance.Check(HttpCoreConformance.GatewaySecretInvalidReferenceGrant);

    [Fact]
    public void GatewaySecretReferenceGrantAllInNamespace() => EngineConformance.Check(HttpCoreConformance.GatewaySecretReferenceGrantAllInNamespace);

    [Fact]
    public void GatewaySecretReferenceGrantSpecific() => EngineConformance.Check(HttpCoreConformance.GatewaySecretReferenceGrantSpecific);

    [Fact]
    public void HTTPRouteDisallowedKind() => EngineConformance.Check(HttpCoreConformance.HTTPRouteDisallowedKind);

    [Fact]
    public void HTTPRouteObservedGenerationBump() => EngineConformance.Check(HttpCoreConformance.HTTPRouteObservedGenerationBump);

    [Fact]
    public void GatewayObservedGenerationBump() => EngineConformance.Check(HttpCoreConformance.GatewayObservedGenerationBump);

    [Fact]
    public void GatewayClassObservedGenerationBump() => EngineConformance.Check(HttpCoreConformance.GatewayClassObservedGenerationBump);

    [Fact]
    public void GatewayModifyListeners() => EngineConformance.Check(HttpCoreConformance.GatewayModifyListeners);

    [Fact]
    public void Every_case_of_the_shared_table_has_a_test_of_its_name_here()
    {
        var tests = typeof(HttpCoreConformanceTests).GetMethods().Select(m => m.Name).ToHashSet();
        Assert.All(HttpCoreConformance.All, c => Assert.Contains(c.Name.Split('(')[0], tests));
    }
}
