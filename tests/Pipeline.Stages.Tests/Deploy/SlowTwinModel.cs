using Pipeline.Onnx.Protos;
using Pipeline.Onnx;

namespace Pipeline.Stages.Tests;

/// <summary>
/// A deliberately slow version of a model that answers exactly as the model does: a chain of large MatMul+Tanh steps
/// on the input whose sum, times zero, is added to the probabilities. Tanh keeps every value bounded, so the product
/// is 0 and the answers are bit-identical (the smoke test passes), while each row costs <c>steps × width²</c>
/// multiply-adds, about 1 G: 60 steps measured 50–100 ms a row on an AVX-512 machine whose cache holds the 16 MB
/// matrix, so 240 keep it far above a 100 ms p99 on any x86-64 machine.
/// A canary of it is what a p99 threshold must catch.
/// </summary>
public static class SlowTwinModel
{
    public static async Task WriteAsync(string fastModel, string path, int width = 2048, int steps = 240)
    {
        var model = await OnnxModelFile.ReadAsync(fastModel);
        var graph = model.Graph;
        var input = graph.Input.Single(i => graph.FindInitializer(i.Name) is null).Name;
        var features = graph.Input.Single(i => i.Name == input).Type.TensorType.Shape.Dim[1].DimValue;
        var random = new Random(7);
        float[] Weights(long rows, long columns) =>
            Enumerable.Range(0, (int)(rows * columns)).Select(_ => (float)((random.NextDouble() * 2 - 1) / Math.Sqrt(rows))).ToArray();
        graph.Initializer.Add(OnnxTensors.FromFloats("slow.w_in", Weights(features, width), features, width));
        graph.Initializer.Add(OnnxTensors.FromFloats("slow.w", Weights(width, width), width, width));
        graph.Initializer.Add(OnnxTensors.FromFloats("slow.zero", [0f]));

        var nodes = new List<NodeProto> { Node("MatMul", [input, "slow.w_in"], "slow.h0") };
        for (var i = 1; i <= steps; i++)
        {
            nodes.Add(Node("MatMul", [$"slow.h{i - 1}", "slow.w"], $"slow.m{i}"));
            nodes.Add(Node("Tanh", [$"slow.m{i}"], $"slow.h{i}"));
        }
        var sum = Node("ReduceSum", [$"slow.h{steps}"], "slow.sum");
        sum.Attribute.Add(new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        nodes.Add(sum);
        nodes.Add(Node("Mul", ["slow.sum", "slow.zero"], "slow.nothing"));

        // The probabilities' producer and consumers move to a new name; the Add that follows takes the old one.
        const string probabilities = "probabilities";
        foreach (var node in graph.Node)
        {
            for (var o = 0; o < node.Output.Count; o++) if (node.Output[o] == probabilities) node.Output[o] = "slow.probabilities";
            for (var n = 0; n < node.Input.Count; n++) if (node.Input[n] == probabilities) node.Input[n] = "slow.probabilities";
        }
        nodes.Add(Node("Add", ["slow.probabilities", "slow.nothing"], probabilities));
        graph.Node.AddRange(nodes);
        await OnnxModelFile.WriteAtomicallyAsync(model, path);
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
