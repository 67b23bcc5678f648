namespace KmsImport.Sdk.Testing.Server;

/// <summary>An authentication failure: status, code, message, and which error shape to use.</summary>
internal sealed record AuthenticationFailure(int Status, string Code, string Message, bool GatewayShape);
