using Microsoft.ML;

namespace Training.MlNet;

/// <summary>A model's data as ML.NET sees it: the rows to fit on, the held-out rows every gate measures, and the files they came from.</summary>
/// <param name="SourceFiles">Every file read, for the lineage (their SHA-256s go into the registry and the ONNX metadata).</param>
public sealed record ModelData(IDataView Train, IDataView Test, IReadOnlyList<string> SourceFiles);
