namespace Pipeline.Engine;

/// <summary>A parameter's value for this run and where it came from.</summary>
public sealed record ResolvedParameter(ParameterDescriptor Descriptor, object? Value, ParameterSource Source)
{
    /// <summary>The value as text; <c>*****</c> for secrets, <c>(not set)</c> when unset.</summary>
    public string DisplayValue => ValueFormatter.Display(Value, Descriptor.IsSecret);
}
