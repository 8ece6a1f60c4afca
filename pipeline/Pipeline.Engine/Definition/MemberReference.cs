using System.Linq.Expressions;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Pipeline.Engine;

/// <summary>A member of the build instance named by an expression such as <c>() =&gt; Seed</c>, read when needed.</summary>
internal sealed class MemberReference
{
    private readonly object _instance;

    private MemberReference(object instance, MemberInfo member)
    {
        _instance = instance;
        Member = member;
    }

    public MemberInfo Member { get; }

    public string Name => Member.Name;

    public bool IsSecret => Member.IsDefined(typeof(SecretAttribute), inherit: true);

    public object? Read() => Member switch
    {
        FieldInfo field => field.GetValue(_instance),
        PropertyInfo property => property.GetValue(_instance),
        _ => throw new InvalidOperationException($"Unsupported member {Member.Name}."),
    };

    /// <summary>Accepts only a direct field or property access on the build instance; anything else is a definition error.</summary>
    public static MemberReference FromExpression(Expression<Func<object?>> expression, BuildDefinition build, string usage)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var body = expression.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.TypeAs } unary)
        {
            body = unary.Operand;
        }

        if (body is MemberExpression { Member: FieldInfo or PropertyInfo } member &&
            member.Expression is not null &&
            TryEvaluateConstantChain(member.Expression, out var owner) &&
            ReferenceEquals(owner, build))
        {
            return new MemberReference(build, member.Member);
        }

        throw new BuildConfigurationException(
            $"{usage}({Describe(expression)}) must name a field or property of the build directly, e.g. {usage}(() => Seed).");
    }

    private static string Describe(Expression<Func<object?>> expression) =>
        Regex.Replace(expression.ToString(), @"value\([^()]*\)", "this");

    // The compiler reaches `this` either as a constant or through fields of a closure object; follow that chain only.
    private static bool TryEvaluateConstantChain(Expression expression, out object? value)
    {
        switch (expression)
        {
            case ConstantExpression constant:
                value = constant.Value;
                return true;
            case MemberExpression { Member: FieldInfo field, Expression: { } inner } when TryEvaluateConstantChain(inner, out var innerValue) && innerValue is not null:
                value = field.GetValue(innerValue);
                return true;
            default:
                value = null;
                return false;
        }
    }
}
