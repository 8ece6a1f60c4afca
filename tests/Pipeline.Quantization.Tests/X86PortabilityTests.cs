using Google.Protobuf;
using Pipeline.Onnx;
using Pipeline.Onnx.Protos;
using Pipeline.OnnxRuntime;
using Pipeline.Gates;
using Pipeline.Quantization.Tests.Support;
using DataType = Pipeline.Onnx.Protos.TensorProto.Types.DataType;

namespace Pipeline.Quantization.Tests;

/// <summary>
/// Why int8 answers can depend on the CPU, and why the default quantization cannot. ONNX Runtime's uint8 × int8
/// kernels sum products exactly with VNNI and through saturating int16 pairs without it (<see cref="U8S8Saturation"/>).
/// The probes run the real ONNX Runtime on this machine and expect what its kind of CPU computes; the emulated
/// kernels show both kinds on any machine, and are themselves checked against the real runtime here.
/// </summary>
[Collection(OnnxRuntimeCollection.Name)]
public sealed class X86PortabilityTests(OnnxRuntimeFixture ort)
{
    private const int K = 64;
    private const int N = 16;
    private static readonly CpuFeatures Cpu = CpuFeatures.Detect();

    /// <summary>
    /// Every activation 255 and every weight 127: each pair of products is 64,770, which an int16 cannot hold. A CPU
    /// with VNNI returns the true sum; one without returns 32,767 per pair. This needs no particular CPU: it checks
    /// whichever kind runs it (the closing note of issue #12 says which kinds ran it).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void Full_range_weight_pairs_saturate_in_onnx_runtime_exactly_when_the_cpu_has_no_vnni(int rows)
    {
        var product = RunMatMulInteger(rows, weight: 127);

        const int exact = K * 255 * 127;
        const int saturated = K / 2 * short.MaxValue;
        Assert.All(product, value => Assert.Equal(Cpu.HasVnni ? exact : saturated, value));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void Seven_bit_weight_pairs_are_exact_in_onnx_runtime_on_every_cpu(int rows)
    {
        Assert.All(RunMatMulInteger(rows, weight: SymmetricWeightQuantizer.ReducedRange), value => Assert.Equal(K * 255 * 63, value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_emulated_kernel_of_this_cpu_gives_the_labels_onnx_runtime_gives_and_the_other_kind_does_not(bool perChannel)
    {
        var (model, rows) = (TestModels.Mlp(5, 784, 128, 64, 10), TestModels.PixelRows(seed: 50, rows: 2000));
        var fullRange = DynamicInt8Quantizer.Quantize(model, new DynamicQuantizationOptions { PerChannel = perChannel, ReduceRange = false }).Model;
        var (thisKind, otherKind) = Cpu.HasVnni
            ? (X86Int8Kernel.Vnni, X86Int8Kernel.PairwiseInt16)
            : (X86Int8Kernel.PairwiseInt16, X86Int8Kernel.Vnni);

        var native = ModelExecution.Classify(ort.Environment, fullRange, rows).Labels;

        Assert.Equal(1.0, ModelExecution.Agreement(native, X86Int8Emulator.Classify(fullRange, rows, thisKind).Labels));
        Assert.InRange(ModelExecution.Agreement(native, X86Int8Emulator.Classify(fullRange, rows, otherKind).Labels), 0, 0.99);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Full_range_weights_lose_accuracy_on_a_cpu_without_vnni(bool perChannel)
    {
        var (model, rows) = (TestModels.Mlp(5, 784, 128, 64, 10), TestModels.PixelRows(seed: 50, rows: 2000));
        var fullRange = DynamicInt8Quantizer.Quantize(model, new DynamicQuantizationOptions { PerChannel = perChannel, ReduceRange = false }).Model;
        var expected = ModelExecution.Classify(ort.Environment, model, rows).Labels;

        Assert.True(U8S8Saturation.Analyze(fullRange).CanSaturate);
        Assert.InRange(ModelExecution.Agreement(expected, X86Int8Emulator.Classify(fullRange, rows, X86Int8Kernel.Vnni).Labels), 0.97, 1.0);
        Assert.InRange(ModelExecution.Agreement(expected, X86Int8Emulator.Classify(fullRange, rows, X86Int8Kernel.PairwiseInt16).Labels), 0, 0.96);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Default_weights_compute_the_same_answers_with_and_without_vnni(bool perChannel)
    {
        var (model, rows) = (TestModels.Mlp(5, 784, 128, 64, 10), TestModels.PixelRows(seed: 50, rows: 2000));
        var quantized = DynamicInt8Quantizer.Quantize(model, new DynamicQuantizationOptions { PerChannel = perChannel }).Model;

        var withVnni = X86Int8Emulator.Classify(quantized, rows, X86Int8Kernel.Vnni);
        var withoutVnni = X86Int8Emulator.Classify(quantized, rows, X86Int8Kernel.PairwiseInt16);

        Assert.False(U8S8Saturation.Analyze(quantized).CanSaturate);
        Assert.Equal(withVnni.Probabilities, withoutVnni.Probabilities);
        Assert.Equal(withVnni.Labels, withoutVnni.Labels);
    }

    [Fact]
    public void Cpu_features_of_this_machine_name_its_int8_kernel()
    {
        Assert.Contains(Cpu.HasVnni ? "VNNI (vpdpbusd" : "without VNNI", Cpu.Int8Kernel);
        Assert.Equal(Cpu.HasVnni, Cpu.Flags.Any(f => f.Contains("vnni", StringComparison.Ordinal)));
    }

    private int[] RunMatMulInteger(int rows, int weight)
    {
        var graph = new OnnxGraphBuilder("u8s8-probe")
            .AddInput("a", DataType.Uint8, rows, K)
            .AddInput("b", DataType.Int8, K, N)
            .AddOutput("y", DataType.Int32, rows, N)
            .AddNode("MatMulInteger", "matmul", ["a", "b"], ["y"]);
        using var session = new InferenceSession(ort.Environment, new OnnxModelBuilder(graph).Build().ToByteArray());
        var a = Enumerable.Repeat((byte)255, rows * K).ToArray();
        var b = Enumerable.Repeat((sbyte)weight, K * N).ToArray();
        return session.Run([NamedTensor.Create("a", a, rows, K), NamedTensor.Create("b", b, K, N)], ["y"])[0].Tensor.As<int>().ToArray();
    }
}
