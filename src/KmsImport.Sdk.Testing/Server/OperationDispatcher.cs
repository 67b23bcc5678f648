using System.Text.Json;
using KmsImport.Sdk.Testing.Emulation;

namespace KmsImport.Sdk.Testing.Server;

/// <summary>Routing and dispatch: <c>/v1.0/{project_id}/kms/{operation}</c> to the <see cref="LocalKms"/> operation, through <see cref="KmsWireFormat"/>.</summary>
internal static class OperationDispatcher
{
    /// <summary>Reads the project id and the operation from a request path; false when the path is not an operation of the contract.</summary>
    public static bool TryRoute(string? path, out string projectId, out string operation)
    {
        string[] segments = (path ?? string.Empty).Split('/');
        if (segments.Length != 5 || segments[0].Length != 0 || segments[1] != "v1.0" || segments[2].Length == 0 || segments[3] != "kms" || !KmsOperations.All.Contains(segments[4]))
        {
            projectId = string.Empty;
            operation = string.Empty;
            return false;
        }

        projectId = segments[2];
        operation = segments[4];
        return true;
    }

    /// <summary>Parses the JSON body, runs the operation on the emulator and writes its answer; a refusal is a <see cref="KmsRequestFailedException"/>.</summary>
    public static byte[] Dispatch(LocalKms kms, string operation, byte[] body, string requestId)
    {
        JsonElement root;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw KmsWireFormat.InvalidParameter("the request body is not valid JSON", requestId);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw KmsWireFormat.InvalidParameter("the request body must be a JSON object", requestId);
        }

        switch (operation)
        {
            case KmsOperations.CreateKey:
                return KmsWireFormat.WriteCreateKey(kms.CreateKey(KmsWireFormat.ReadCreateKey(root, requestId), requestId));
            case KmsOperations.GetParametersForImport:
                return KmsWireFormat.WriteImportParameters(kms.GetParametersForImport(KmsWireFormat.ReadGetParametersForImport(root, requestId), requestId));
            case KmsOperations.ImportKeyMaterial:
                kms.ImportKeyMaterial(KmsWireFormat.ReadImportKeyMaterial(root, requestId), requestId);
                return KmsWireFormat.WriteEmptyObject();
            case KmsOperations.DeleteImportedKeyMaterial:
                kms.DeleteImportedKeyMaterial(KmsWireFormat.ReadDeleteImportedKeyMaterial(root, requestId), requestId);
                return [];
            case KmsOperations.ListKeys:
                return KmsWireFormat.WriteListKeys(kms.ListKeys(KmsWireFormat.ReadListKeys(root, requestId), requestId));
            case KmsOperations.GetPublicKey:
                Sdk.GetPublicKeyRequest publicKeyRequest = KmsWireFormat.ReadGetPublicKey(root, requestId);
                return KmsWireFormat.WritePublicKey(publicKeyRequest.KeyId, kms.GetPublicKeyPem(publicKeyRequest, requestId));
            default:
                return KmsWireFormat.WriteKeyDetails(kms.DescribeKey(KmsWireFormat.ReadDescribeKey(root, requestId), requestId));
        }
    }
}
