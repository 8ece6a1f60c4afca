namespace Pipeline.Engine;

/// <summary>The shape of a parameter's CLR type: an element type, optionally in an array or Nullable.</summary>
internal sealed record ParameterType(Type ClrType, Type ElementType, bool IsArray)
{
    private static readonly Type[] ScalarTypes = [typeof(string), typeof(int), typeof(long), typeof(double), typeof(bool), typeof(AbsolutePath)];

    public const string SupportedTypesText =
        "string, int, long, double, bool, enums, AbsolutePath, arrays of these, and their nullable forms";

    /// <summary>A bool scalar: <c>--flag</c> alone means true.</summary>
    public bool IsFlag => !IsArray && ElementType == typeof(bool);

    public string DisplayName => ElementName + (IsArray ? "[]" : "");

    public IReadOnlyList<string> AllowedValues =>
        ElementType.IsEnum ? Enum.GetNames(ElementType) :
        ElementType == typeof(bool) ? ["true", "false"] : [];

    public string ElementName => ElementType switch
    {
        _ when ElementType == typeof(string) => "string",
        _ when ElementType == typeof(int) => "int",
        _ when ElementType == typeof(long) => "long",
        _ when ElementType == typeof(double) => "double",
        _ when ElementType == typeof(bool) => "bool",
        _ when ElementType == typeof(AbsolutePath) => "path",
        _ => ElementType.Name,
    };

    public static ParameterType? TryCreate(Type type)
    {
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            return type.GetArrayRank() == 1 && IsSupportedElement(element) ? new ParameterType(type, element, IsArray: true) : null;
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return IsSupportedElement(underlying) ? new ParameterType(type, underlying, IsArray: false) : null;
    }

    public static string DescribeClrType(Type type) =>
        type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(DescribeClrType))}>"
            : type.Name;

    private static bool IsSupportedElement(Type type) => ScalarTypes.Contains(type) || type.IsEnum;
}
