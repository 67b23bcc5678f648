using System.Text;

namespace KmsImport.Sdk.Tests.TestSupport;

/// <summary>One request as the handler saw it (the message itself is disposed after the attempt).</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? ContentType, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
