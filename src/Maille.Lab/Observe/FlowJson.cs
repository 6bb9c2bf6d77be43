using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Maille.Lab.Observe;

/// <summary>
/// The JSON contract of <c>maille observe -o json</c> and of the API's <c>flows</c> stream: one object per line, of
/// <c>kind</c> <c>Flow</c> or <c>Lost</c> (docs/observe.md lists the fields). Field names never change.
/// </summary>
public static class FlowJson
{
    public static string Line(FlowEvent item)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            switch (item)
            {
                case FlowRecord flow:
                    json.WriteString("kind", "Flow");
                    json.WriteString("time", Time(flow.Time));
                    json.WriteString("node", flow.Node);
                    json.WriteString("from", flow.From);
                    json.WriteString("fromIP", flow.FromAddress.ToString());
                    json.WriteNumber("fromPort", flow.FromPort);
                    json.WriteString("to", flow.To);
                    json.WriteString("toIP", flow.ToAddress.ToString());
                    json.WriteNumber("port", flow.Port);
                    json.WriteString("protocol", flow.Protocol);
                    json.WriteString("service", flow.Service);
                    json.WriteString("serviceIP", flow.ServiceAddress?.ToString());
                    if (flow.ServicePort is { } servicePort)
                    {
                        json.WriteNumber("servicePort", servicePort);
                    }
                    else
                    {
                        json.WriteNull("servicePort");
                    }

                    json.WriteString("verdict", flow.Verdict);
                    json.WriteString("rule", flow.Rule);
                    break;
                case FlowLoss loss:
                    json.WriteString("kind", "Lost");
                    json.WriteString("time", Time(loss.Time));
                    json.WriteString("node", loss.Node);
                    json.WriteString("source", loss.Source);
                    json.WriteNumber("count", loss.Count);
                    json.WriteBoolean("exact", loss.Exact);
                    break;
                default:
                    throw new ArgumentException($"no JSON for {item.GetType().Name}", nameof(item));
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
