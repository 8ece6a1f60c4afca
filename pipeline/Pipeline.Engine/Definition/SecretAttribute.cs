namespace Pipeline.Engine;

/// <summary>The parameter's value is masked wherever the engine prints it and hashed wherever it stores it.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = true)]
public sealed class SecretAttribute : Attribute;
