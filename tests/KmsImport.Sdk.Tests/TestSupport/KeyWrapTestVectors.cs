using System.Text.Json;

namespace KmsImport.Sdk.Tests.TestSupport;

/// <summary>Loads the RFC 5649 and Wycheproof AES-KWP vectors copied into TestVectors/.</summary>
public static class KeyWrapTestVectors
{
    public sealed record Rfc5649Case(byte[] Kek, byte[] Key, byte[] Wrapped);

    public sealed record WycheproofCase(int TcId, int KeySize, string Comment, string Result, string[] Flags, byte[] Key, byte[] Msg, byte[] Ct);

    private static string PathOf(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "TestVectors", .. parts]);

    public static IReadOnlyList<Rfc5649Case> LoadRfc5649()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(PathOf("rfc5649.json")));
        return document.RootElement.GetProperty("tests").EnumerateArray()
            .Select(t => new Rfc5649Case(Hex(t, "kek"), Hex(t, "key"), Hex(t, "wrapped")))
            .ToList();
    }

    public static (int DeclaredCount, IReadOnlyList<WycheproofCase> Cases) LoadWycheproof()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(PathOf("wycheproof", "aes_kwp_test.json")));
        JsonElement root = document.RootElement;
        var cases = new List<WycheproofCase>();
        foreach (JsonElement group in root.GetProperty("testGroups").EnumerateArray())
        {
            int keySize = group.GetProperty("keySize").GetInt32();
            foreach (JsonElement t in group.GetProperty("tests").EnumerateArray())
            {
                cases.Add(new WycheproofCase(
                    t.GetProperty("tcId").GetInt32(),
                    keySize,
                    t.GetProperty("comment").GetString() ?? string.Empty,
                    t.GetProperty("result").GetString() ?? string.Empty,
                    t.GetProperty("flags").EnumerateArray().Select(f => f.GetString() ?? string.Empty).ToArray(),
                    Hex(t, "key"),
                    Hex(t, "msg"),
                    Hex(t, "ct")));
            }
        }

        return (root.GetProperty("numberOfTests").GetInt32(), cases);
    }

    private static byte[] Hex(JsonElement element, string name) => Convert.FromHexString(element.GetProperty(name).GetString() ?? string.Empty);
}
