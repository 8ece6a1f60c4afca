namespace Serving.Server.Configuration;

/// <summary>A secret setting's text; <see cref="ToString"/> hides it so records and logs that print options never show it.</summary>
public sealed record SecretText(string Value)
{
    public override string ToString() => "(secret)";
}
