using System.Text.Json;
using K8S.Io.Api.Apps.V1;
using K8S.Io.Api.Core.V1;
using K8S.Io.Apimachinery.Pkg.Api.Resource;
using K8S.Io.Apimachinery.Pkg.Apis.Meta.V1;
using Unknown = K8S.Io.Apimachinery.Pkg.Runtime.Unknown;
using TypeMeta = K8S.Io.Apimachinery.Pkg.Runtime.TypeMeta;
using K8S.Io.Apimachinery.Pkg.Util.Intstr;
using Maille.Kube.Protobuf;
using Maille.TestKit;

namespace Maille.Kube.Tests.Protobuf;

/// <summary>
/// Kubernetes protobuf request bodies read into the JSON the write path takes. The golden cases are bodies that
/// kubectl 1.32 sent (captured on a loopback listener; <c>kubectl.txt</c> in each folder says which command and
/// request); the others are built from the compiled messages (<see cref="ProtobufBodies"/>).
/// </summary>
public sealed class KubeProtobufTests
{
    private static GoldenRoot Root => Goldens.ProtobufBodies;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static TheoryData<string> Cases() => [.. Root.CaseFolders()];

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_captured_kubectl_body_reads_as_the_expected_json(string name)
    {
        var body = File.ReadAllBytes(Root.PathOf(Path.Combine(name, "body.bin")));

        var json = KubeProtobuf.Read(body);

        Root.AssertMatches(Path.Combine(name, "expected.json"), json.ToJsonString(Indented) + "\n");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_truncation_of_a_captured_body_reads_or_is_refused_as_a_format_error(string name)
    {
        var body = File.ReadAllBytes(Root.PathOf(Path.Combine(name, "body.bin")));

        for (var length = 0; length < body.Length; length++)
        {
            try
            {
                KubeProtobuf.Read(body.AsSpan(0, length));
            }
            catch (FormatException)
            {
                // Refused, as a request's 400.
            }
        }
    }

    [Fact]
    public void Unset_zeros_are_left_out_and_a_pointer_field_keeps_its_zero()
    {
        var json = KubeProtobuf.Read(File.ReadAllBytes(Root.PathOf("deployment-zero-replicas/body.bin")));

        Assert.Equal(0, (int?)json["spec"]?["replicas"]);
        Assert.Null(json["spec"]?["minReadySeconds"]);         // int32, not a pointer: 0 on the wire means unset
        Assert.Null(json["spec"]?["paused"]);
        Assert.Null(json["metadata"]?["namespace"]);           // "" on the wire: the path says the namespace
        Assert.Null(json["metadata"]?["creationTimestamp"]);   // Go's zero time
        Assert.Equal("{}", json["spec"]?["strategy"]?.ToJsonString());   // a struct stays, empty, as in Go's JSON
    }

    [Fact]
    public void Times_quantities_int_or_strings_maps_and_embedded_structs_read_as_their_json_forms()
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "p", CreationTimestamp = new Time { Seconds = 1_700_000_000 }, Labels = { ["app"] = "web" } },
            Spec = new PodSpec
            {
                TerminationGracePeriodSeconds = 0,
                Containers =
                {
                    new Container
                    {
                        Name = "c",
                        Image = "i",
                        Resources = new ResourceRequirements { Limits = { ["cpu"] = new Quantity { String = "500m" } } },
                        ReadinessProbe = new Probe { Handler = new ProbeHandler { HttpGet = new HTTPGetAction { Port = new IntOrString { Type = 1, StrVal = "http" } } } },
                        Ports = { new ContainerPort { ContainerPort_ = 8080 } },
                        Env = { new EnvVar { Name = "E", ValueFrom = new EnvVarSource { SecretKeyRef = new SecretKeySelector { LocalObjectReference = new LocalObjectReference { Name = "s" }, Key = "k" } } } },
                    },
                },
            },
        };

        var json = KubeProtobuf.Read(ProtobufBodies.Envelope("v1", "Pod", pod));

        Assert.Equal("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","creationTimestamp":"2023-11-14T22:13:20Z","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":8080}],"env":[{"name":"E","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}],"resources":{"limits":{"cpu":"500m"}},"readinessProbe":{"httpGet":{"port":"http"}}}],"terminationGracePeriodSeconds":0}}
            """, json.ToJsonString());
    }

    [Fact]
    public void A_zero_int_or_string_stays_where_go_has_a_pointer_and_goes_where_it_means_unset()
    {
        var deployment = new Deployment
        {
            Metadata = new ObjectMeta { Name = "d" },
            Spec = new DeploymentSpec
            {
                Strategy = new DeploymentStrategy { RollingUpdate = new RollingUpdateDeployment { MaxUnavailable = new IntOrString { IntVal = 0 }, MaxSurge = new IntOrString { IntVal = 1 } } },
            },
        };
        var service = new Service { Metadata = new ObjectMeta { Name = "s" }, Spec = new ServiceSpec { Ports = { new ServicePort { Port = 80, TargetPort = new IntOrString() } } } };

        var rolling = KubeProtobuf.Read(ProtobufBodies.Envelope("apps/v1", "Deployment", deployment))["spec"]?["strategy"]?["rollingUpdate"];
        var port = KubeProtobuf.Read(ProtobufBodies.Envelope("v1", "Service", service))["spec"]?["ports"]?[0];

        Assert.Equal("""{"maxUnavailable":0,"maxSurge":1}""", rolling?.ToJsonString());
        Assert.Equal("""{"port":80}""", port?.ToJsonString());
    }

    public static TheoryData<string, byte[]> Refused() => new()
    {
        { "no magic", """{"apiVersion":"v1","kind":"Namespace"}"""u8.ToArray() },
        { "the magic only, then garbage", [.. "k8s\0"u8, 0xff, 0xff, 0xff] },
        { "a kind its group does not have", ProtobufBodies.Envelope("v1", "Bogus", new Namespace()) },
        { "an apiVersion not compiled here", ProtobufBodies.Envelope("batch/v1", "Job", new Namespace()) },
        { "a part of an object, not one", ProtobufBodies.Envelope("v1", "PodSpec", new PodSpec()) },
        { "a compressed body", ProtobufBodies.Envelope("v1", "Namespace", new Namespace(), contentEncoding: "gzip") },
        { "an object that is not its kind's message", ProtobufBodies.Envelope(new Unknown { TypeMeta = new TypeMeta { ApiVersion = "v1", Kind = "Namespace" }, Raw = Google.Protobuf.ByteString.CopyFrom(0x0a, 0x7f, 0x01) }) },
        { "managed fields that are not JSON", ProtobufBodies.Envelope("v1", "Namespace", new Namespace { Metadata = new ObjectMeta { ManagedFields = { new ManagedFieldsEntry { FieldsV1 = new FieldsV1 { Raw = Google.Protobuf.ByteString.CopyFromUtf8("{not json") } } } } }) },
        { "a time out of range", ProtobufBodies.Envelope("v1", "Namespace", new Namespace { Metadata = new ObjectMeta { CreationTimestamp = new Time { Seconds = long.MaxValue } } }) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_body_that_is_not_a_compiled_kind_is_refused_as_a_format_error(string what, byte[] body)
    {
        var e = Assert.Throws<FormatException>(() => KubeProtobuf.Read(body));
        Assert.False(string.IsNullOrEmpty(e.Message), what);
    }

    [Theory]
    [InlineData("application/vnd.kubernetes.protobuf", true)]
    [InlineData("application/vnd.kubernetes.protobuf; charset=utf-8", true)]
    [InlineData("Application/VND.Kubernetes.Protobuf", true)]
    [InlineData("application/json", false)]
    [InlineData("application/vnd.kubernetes.protobuf;stream=watch", true)]
    [InlineData(null, false)]
    public void The_content_type_says_protobuf_whatever_its_parameters(string? contentType, bool protobuf) =>
        Assert.Equal(protobuf, KubeProtobuf.Is(contentType));
}
