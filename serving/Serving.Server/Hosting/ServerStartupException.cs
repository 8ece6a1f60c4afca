namespace Serving.Server.Hosting;

/// <summary>The server refuses to start (model missing, unreadable, tampered with or of an unsupported form).</summary>
public sealed class ServerStartupException(string message, Exception? inner = null) : Exception(message, inner);
