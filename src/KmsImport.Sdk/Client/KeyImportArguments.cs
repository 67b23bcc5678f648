using KmsImport.Sdk.Contract;

namespace KmsImport.Sdk;

/// <summary>
/// Client-side checks of request arguments against the formats kms-api.md gives, so that a typo
/// fails with a clear message before any request (and before a signature is spent on it).
/// </summary>
internal static class KeyImportArguments
{
    internal const int MaxDescriptionLength = KmsContract.KeyDescriptionMaxLength;
    internal const int SequenceLength = KmsContract.SequenceLength;

    private const string KeyIdExample = KmsContract.KeyIdExample;

    /// <exception cref="ArgumentNullException"><paramref name="keyId"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is not a KMS key id.</exception>
    public static void ValidateKeyId(string keyId, string paramName)
    {
        ArgumentNullException.ThrowIfNull(keyId, paramName);
        if (!KmsContract.KeyIdPattern().IsMatch(keyId))
        {
            throw new ArgumentException(
                $"'{Printable(keyId)}' is not a KMS key id: expected 36 characters, lower-case letters and digits in groups of 8-4-4-4-12 separated by dashes (for example {KeyIdExample}). Copy the key id, not the alias, from the console or from create-key.",
                paramName);
        }
    }

    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The alias, description or sequence is malformed.</exception>
    public static void ValidateCreateKey(CreateKeyRequest request, string paramName)
    {
        ArgumentNullException.ThrowIfNull(request, paramName);
        if (request.KeyAlias is null || !KmsContract.KeyAliasPattern().IsMatch(request.KeyAlias))
        {
            throw new ArgumentException(
                $"The key alias '{Printable(request.KeyAlias ?? string.Empty)}' is not valid: use 1 to 255 characters from letters, digits, ':', '/', '_' and '-'.",
                paramName);
        }

        if (request.KeyDescription is { Length: > MaxDescriptionLength } description)
        {
            throw new ArgumentException(
                $"The key description is {description.Length} characters long; the service accepts at most {MaxDescriptionLength}. Shorten it.",
                paramName);
        }

        if (request.KeySpec == default)
        {
            throw new ArgumentException("The key spec is not set; use a KeySpec value such as KeySpec.Aes256.", paramName);
        }

        if (request.Origin == default)
        {
            throw new ArgumentException("The key origin is not set; use KeyOrigin.External for imported material.", paramName);
        }

        ValidateSequence(request.Sequence, paramName);
    }

    /// <exception cref="ArgumentException">The sequence is not 36 characters long.</exception>
    public static void ValidateSequence(string? sequence, string paramName)
    {
        if (sequence is not null && sequence.Length != SequenceLength)
        {
            throw new ArgumentException(
                $"The request sequence number must be {SequenceLength} characters long (for example a GUID); got {sequence.Length}. Leave it null to omit it.",
                paramName);
        }
    }

    // A bad argument is echoed to help the user find it; bound its length and keep it to one line.
    private static string Printable(string value)
    {
        string shortened = value.Length > 64 ? string.Concat(value.AsSpan(0, 64), "...") : value;
        return shortened.ReplaceLineEndings(" ");
    }

}
