using System.Text;

/// <summary>A batch-1 infer body in the binary tensor extension: the JSON header, then the row's little-endian floats.</summary>
internal static class BinaryInferBody
{
    /// <returns>The body, and the header's length for the Inference-Header-Content-Length header.</returns>
    public static (byte[] Body, int HeaderLength) Create(float[] row)
    {
        var header = Encoding.UTF8.GetBytes("{\"inputs\":[{\"name\":\"input\",\"shape\":[1," + row.Length + "],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":" + row.Length * 4 + "}}]}");
        return ([.. header, .. row.SelectMany(BitConverter.GetBytes)], header.Length);
    }
}
