using Microsoft.ML.Data;

namespace Training.MlNet.Models;

/// <summary>One Fashion-MNIST image as ML.NET reads it: the 784 raw pixel values (0..255) and its class index.</summary>
internal sealed class FashionMnistRow
{
    public const int Pixels = 784;

    [ColumnName("input"), VectorType(Pixels)] public float[] Input { get; set; } = [];

    // int64, so the served label is int64 like the project MLP's.
    [ColumnName("label")] public long Label { get; set; }
}
