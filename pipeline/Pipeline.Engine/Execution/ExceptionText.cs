using System.Reflection;
using System.Text;

namespace Pipeline.Engine;

internal static class ExceptionText
{
    /// <summary>Strips wrappers that add nothing for the reader: reflection invocation and single-exception aggregates.</summary>
    public static Exception Unwrap(Exception exception) => exception switch
    {
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        _ => exception,
    };

    /// <summary>Type and message of the exception and its inner exceptions; with stack traces when asked.</summary>
    public static string Describe(Exception exception, bool withStackTrace)
    {
        if (withStackTrace)
        {
            return exception.ToString();
        }

        var text = new StringBuilder($"{exception.GetType().FullName}: {exception.Message}");
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append($"\n ---> {inner.GetType().FullName}: {inner.Message}");
        }

        return text.ToString();
    }
}
