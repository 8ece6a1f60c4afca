using System.Buffers;
using System.Globalization;

namespace Serving.Server.Inference;

/// <summary>
/// Reads a JSON array of numbers (flat or nested, row-major) straight from its bytes into a pooled float buffer.
/// Tensor data is nearly all of an inference request; scanning it directly costs a fraction of tokenizing it with
/// <see cref="System.Text.Json.Utf8JsonReader"/>. The grammar is checked as strictly as the reader would: commas
/// between elements only, RFC 8259 number syntax, nothing but numbers, null (a missing value, read as NaN) and arrays.
/// </summary>
internal static class JsonNumberArrayScanner
{
    private const int MaxExactMantissa = 1 << 24;

    private static ReadOnlySpan<float> PowersOfTen => [1f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];

    /// <param name="json">The whole JSON text.</param>
    /// <param name="start">The index of the array's opening '['.</param>
    /// <param name="values">A pooled array, replaced by a larger pooled one when it fills up.</param>
    /// <param name="count">Values written so far.</param>
    /// <param name="input">The input the data belongs to, named in error messages.</param>
    /// <returns>The index just after the array's closing ']'.</returns>
    public static int Scan(ReadOnlySpan<byte> json, int start, ref float[] values, ref int count, RequestInput input)
    {
        var position = start;
        var depth = 0;
        var expectingValue = true;
        var justOpened = false;
        while (true)
        {
            position = SkipWhitespace(json, position);
            if (position >= json.Length) throw NotJson($"the data of input {input.Label} ends before its array is closed");
            var c = json[position];
            if (expectingValue)
            {
                if (c == (byte)'[')
                {
                    depth++;
                    position++;
                    justOpened = true;
                    continue;
                }

                if (c == (byte)']' && justOpened)
                {
                    justOpened = false;
                    expectingValue = false;
                    position++;
                    if (--depth == 0) return position;
                    continue;
                }

                if (c == (byte)'-' || IsDigit(c))
                {
                    if (!TryScanIntegerRun(json, ref position, ref values, ref count))
                    {
                        if (count == values.Length) values = Grow(values);
                        position = ReadNumber(json, position, input, out values[count++]);
                    }

                    expectingValue = false;
                    justOpened = false;
                    continue;
                }

                if (c == (byte)'n' && json[position..].StartsWith("null"u8))
                {
                    // A missing value: NaN, which ML.NET models impute. Off the numeric path, so numbers pay nothing.
                    if (count == values.Length) values = Grow(values);
                    values[count++] = float.NaN;
                    position += 4;
                    expectingValue = false;
                    justOpened = false;
                    continue;
                }

                throw ServingException.BadRequest(
                    $"Input {input.Label} data must hold only numbers (flat or nested arrays); element {count} is {Describe(c)}. FP32 takes numbers, or null for a missing value.");
            }

            if (c == (byte)',')
            {
                expectingValue = true;
                position++;
            }
            else if (c == (byte)']')
            {
                position++;
                if (--depth == 0) return position;
            }
            else
            {
                throw NotJson($"unexpected '{(char)c}' at byte {position}, in the data of input {input.Label}");
            }
        }
    }

    /// <summary>
    /// The commonest shape of tensor data, pixels such as "0, 17, 255, 3": a run of non-negative integers of up to
    /// six digits separated by commas, read in one tight loop. Stops before anything else (a fraction, an exponent,
    /// whitespace, a bracket) and leaves it to the general path.
    /// </summary>
    /// <returns>Whether at least one integer was read; <paramref name="position"/> is then just after the last one.</returns>
    private static bool TryScanIntegerRun(ReadOnlySpan<byte> json, ref int position, ref float[] values, ref int count)
    {
        var read = false;
        var start = position;
        while (start < json.Length)
        {
            var first = (uint)(json[start] - '0');
            if (first > 9) break;
            var mantissa = (int)first;
            var end = start + 1;
            // A leading zero stands alone in JSON; "01" is then refused by the general grammar.
            if (first != 0)
            {
                for (; end < json.Length && end - start < 6; end++)
                {
                    var digit = (uint)(json[end] - '0');
                    if (digit > 9) break;
                    mantissa = mantissa * 10 + (int)digit;
                }
            }

            if (end >= json.Length) break;
            var next = json[end];
            if (IsDigit(next) || next is (byte)'.' or (byte)'e' or (byte)'E') break;
            if (count == values.Length) values = Grow(values);
            values[count++] = mantissa;
            position = end;
            read = true;
            if (next != (byte)',') break;
            // Clients commonly write ", " (Python's json.dumps does): whitespace after the comma stays in the run.
            var following = SkipWhitespace(json, end + 1);
            if (following >= json.Length || !IsDigit(json[following])) break;
            start = following;
        }

        return read;
    }

    /// <summary>
    /// Reads one number in a single pass. Integers and short decimals (nearly all tensor data) take the fast path of
    /// Clinger's algorithm: the digits form an integer below 2^24 and the divisor a power of ten up to 10^10, both
    /// exact in FP32, so one IEEE division gives the correctly rounded value. Exponents and long mantissas go to
    /// the general parser, which rounds correctly too.
    /// </summary>
    /// <returns>The index after the number.</returns>
    private static int ReadNumber(ReadOnlySpan<byte> json, int start, RequestInput input, out float value)
    {
        var position = start;
        var negative = json[position] == (byte)'-';
        if (negative) position++;
        var mantissa = 0;
        var exact = true;
        if (position < json.Length && json[position] == (byte)'0') position++;
        else if (position < json.Length && IsDigit(json[position])) position = AccumulateDigits(json, position, ref mantissa, ref exact, out _);
        else throw BadNumber(start, input);

        var fractionDigits = 0;
        if (position < json.Length && json[position] == (byte)'.')
        {
            if (++position >= json.Length || !IsDigit(json[position])) throw BadNumber(start, input);
            position = AccumulateDigits(json, position, ref mantissa, ref exact, out fractionDigits);
        }

        if (position < json.Length && (json[position] | 0x20) == (byte)'e')
        {
            position++;
            if (position < json.Length && json[position] is (byte)'+' or (byte)'-') position++;
            if (position >= json.Length || !IsDigit(json[position])) throw BadNumber(start, input);
            while (position < json.Length && IsDigit(json[position])) position++;
            exact = false;
        }

        if (exact && fractionDigits < PowersOfTen.Length)
        {
            value = fractionDigits > 0 ? mantissa / PowersOfTen[fractionDigits] : mantissa;
            if (negative) value = -value;
        }
        else
        {
            // The syntax is checked, so only magnitude can fail: an infinity, which the binder reports as non-finite.
            value = float.TryParse(json[start..position], NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : float.PositiveInfinity;
        }

        return position;
    }

    private static int AccumulateDigits(ReadOnlySpan<byte> json, int position, ref int mantissa, ref bool exact, out int digits)
    {
        var first = position;
        for (; position < json.Length; position++)
        {
            var digit = (uint)(json[position] - '0');
            if (digit > 9) break;
            if (exact)
            {
                mantissa = mantissa * 10 + (int)digit;
                exact = mantissa < MaxExactMantissa;
            }
        }

        digits = position - first;
        return position;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int position)
    {
        while (position < json.Length && json[position] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') position++;
        return position;
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;

    private static string Describe(byte c) => c switch
    {
        (byte)'"' => "a string",
        (byte)'t' or (byte)'f' => "a boolean",
        (byte)'{' => "an object",
        (byte)']' or (byte)',' => "missing (a stray comma)",
        _ => $"'{(char)c}', which is not JSON",
    };

    private static ServingException BadNumber(int position, RequestInput input) =>
        NotJson($"malformed number at byte {position}, in the data of input {input.Label}");

    private static ServingException NotJson(string detail) => ServingException.BadRequest($"The request body is not valid JSON: {detail}.");

    private static float[] Grow(float[] values)
    {
        var larger = ArrayPool<float>.Shared.Rent(values.Length * 2);
        values.CopyTo(larger, 0);
        ArrayPool<float>.Shared.Return(values);
        return larger;
    }
}
