using System.Text.Json;
using KmsImport.Sdk;

namespace KmsImport.Cli;

/// <summary>Prints import results and key details as text or JSON (the API's snake_case names).</summary>
internal static class ResultPrinter
{
    private static readonly JsonWriterOptions s_jsonOptions = new() { Indented = true };

    public static void Print(TextWriter output, KeyImportResult result, bool json)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        if (json)
        {
            output.WriteLine(ToJson(writer =>
            {
                writer.WriteString("key_id", result.KeyId);
                writer.WriteString("key_state", result.KeyState.DisplayName);
                writer.WriteString("material_expires", OutputFormat.Expiry(result.MaterialExpiresOn));
                writer.WriteString("material_fingerprint_sha256", result.MaterialFingerprint);
                writer.WriteString("confirmation", result.Confirmation.Kind.ToString());
                writer.WriteString("confirmation_description", result.Confirmation.Description);
                if (result.Confirmation.PublicKeyFingerprint is { } publicKey)
                {
                    writer.WriteString("public_key_fingerprint_sha256", publicKey);
                }
            }));
            return;
        }

        output.WriteLine($"imported into {result.KeyId}");
        output.WriteLine($"  state:            {result.KeyState.DisplayName}");
        output.WriteLine($"  material expires: {OutputFormat.Expiry(result.MaterialExpiresOn)}");
        output.WriteLine($"  fingerprint:      sha256:{result.MaterialFingerprint}");
        output.WriteLine($"  confirmed by:     {result.Confirmation.Description}");
        if (result.Confirmation.PublicKeyFingerprint is { } publicKeyFingerprint)
        {
            output.WriteLine($"  public key:       sha256:{publicKeyFingerprint}");
        }
    }

    /// <summary>One line per key (text) or a JSON array of objects with the API's snake_case names.</summary>
    public static void Print(TextWriter output, IReadOnlyList<KeyDetails> keys, bool json)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(keys);
        if (json)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, s_jsonOptions))
            {
                writer.WriteStartArray();
                foreach (KeyDetails key in keys)
                {
                    writer.WriteStartObject();
                    writer.WriteString("key_id", key.KeyId);
                    writer.WriteString("key_alias", key.KeyAlias);
                    writer.WriteString("key_spec", key.KeySpec?.ToString());
                    writer.WriteString("key_state", key.KeyState.DisplayName);
                    writer.WriteString("origin", key.Origin?.ToString());
                    writer.WriteString("creation_date", key.CreationDate is { } c ? OutputFormat.Time(c) : null);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            return;
        }

        output.WriteLine($"{"KEY ID",-38}{"SPEC",-10}{"STATE",-19}{"ORIGIN",-10}{"CREATED",-22}ALIAS");
        foreach (KeyDetails key in keys)
        {
            string created = key.CreationDate is { } c ? OutputFormat.Time(c) : "-";
            output.WriteLine($"{key.KeyId,-38}{key.KeySpec?.ToString() ?? "-",-10}{key.KeyState.DisplayName,-19}{key.Origin?.ToString() ?? "-",-10}{created,-22}{key.KeyAlias}");
        }

        output.WriteLine($"{keys.Count} key(s)");
    }

    public static void Print(TextWriter output, KeyDetails details, bool json)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(details);
        var fields = new List<(string Name, string Label, string? Value)>
        {
            ("key_id", "key id", details.KeyId),
            ("key_alias", "alias", details.KeyAlias),
            ("key_spec", "spec", details.KeySpec?.ToString()),
            ("key_usage", "usage", details.KeyUsage?.ToString()),
            ("key_state", "state", $"{details.KeyState.DisplayName}"),
            ("origin", "origin", details.Origin?.ToString()),
            ("keystore_id", "keystore", details.KeystoreId is null or "0" ? null : details.KeystoreId),
            ("material_expires", "material expires", details.KeyState == KeyState.PendingImport ? null : OutputFormat.Expiry(details.MaterialExpiresOn)),
            ("creation_date", "created", details.CreationDate is { } c ? OutputFormat.Time(c) : null),
            ("scheduled_deletion_date", "deletion scheduled", details.ScheduledDeletionDate is { } d ? OutputFormat.Time(d) : null),
            ("key_description", "description", details.KeyDescription),
            ("realm", "region", details.Realm),
            ("domain_id", "domain id", details.DomainId),
        };
        if (json)
        {
            output.WriteLine(ToJson(writer =>
            {
                foreach ((string name, _, string? value) in fields)
                {
                    if (value is not null)
                    {
                        writer.WriteString(name, value);
                    }
                }
            }));
            return;
        }

        foreach ((_, string label, string? value) in fields)
        {
            if (value is not null)
            {
                output.WriteLine($"{label + ":",-20}{value}");
            }
        }
    }

    private static string ToJson(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, s_jsonOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
