using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk.Testing.Tests.Emulation;

/// <summary>
/// The emulator is a check on the client, not a mirror of it: the SDK grants it no internals, and
/// its compiled code references none of the SDK's signing or key-wrapping types.
/// </summary>
public class EmulatorIndependenceTests
{
    private static readonly string[] s_forbiddenTypes =
    [
        "KmsImport.Sdk.Cryptography.AesKeyWrapPad",
        "KmsImport.Sdk.Cryptography.KeyMaterialWrapper",
        "KmsImport.Sdk.Cryptography.IKeyMaterialWrapper",
        "KmsImport.Sdk.Authentication.SdkHmacSha256Signer",
        "KmsImport.Sdk.Authentication.KmsCredentials",
        "KmsImport.Sdk.Authentication.AccessKeyCredentials",
    ];

    // Members of public SDK models that state the client's own crypto rules.
    private static readonly string[] s_forbiddenMembers =
    [
        "KmsImport.Sdk.WrappingAlgorithm.get_Padding",
        "KmsImport.Sdk.WrappingAlgorithm.get_OaepHashAlgorithm",
        "KmsImport.Sdk.WrappingAlgorithm.get_IsSupported",
    ];

    [Test]
    public void The_Sdk_Grants_The_Emulator_No_Internals()
    {
        string[] friends = typeof(IKmsTransport).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName).ToArray();
        Assert.That(friends, Has.None.StartsWith("KmsImport.Sdk.Testing"));
        Assert.That(friends, Has.None.StartsWith("KmsImport.Cli"), "the CLI hosts the emulator too");
    }

    [Test]
    public void The_Emulator_Assembly_References_No_Sdk_Signing_Or_Wrapping_Code()
    {
        using var stream = File.OpenRead(typeof(LocalKms).Assembly.Location);
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();

        var referencedTypes = metadata.TypeReferences.Select(h => FullName(metadata, metadata.GetTypeReference(h))).ToHashSet(StringComparer.Ordinal);
        var referencedMembers = metadata.MemberReferences
            .Select(h => metadata.GetMemberReference(h))
            .Where(m => m.Parent.Kind == HandleKind.TypeReference)
            .Select(m => FullName(metadata, metadata.GetTypeReference((TypeReferenceHandle)m.Parent)) + "." + metadata.GetString(m.Name))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(referencedTypes, Does.Contain("KmsImport.Sdk.Transport.IKmsTransport"), "the scan sees the SDK types the emulator does use");
            Assert.That(referencedTypes, Does.Contain("System.Security.Cryptography.Aes"), "the platform's RFC 5649");
            Assert.That(referencedTypes.Intersect(s_forbiddenTypes), Is.Empty);
            Assert.That(referencedMembers.Intersect(s_forbiddenMembers), Is.Empty);
        });
    }

    private static string FullName(MetadataReader metadata, TypeReference type)
    {
        string name = metadata.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return FullName(metadata, metadata.GetTypeReference((TypeReferenceHandle)type.ResolutionScope)) + "+" + name;
        }

        string ns = metadata.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
