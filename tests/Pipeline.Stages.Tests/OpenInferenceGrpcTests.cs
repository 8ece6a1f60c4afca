using System.Buffers.Binary;
using Google.Protobuf;
using Pipeline.OnnxRuntime;
using Serving.Protocol.Inference;

namespace Pipeline.Stages.Tests;

/// <summary>ModelInfer requests carry each tensor in typed or raw contents; answers are read from either form.</summary>
public sealed class OpenInferenceGrpcTests
{
    private static readonly NamedTensor[] Inputs =
    [
        new NamedTensor("island", new StringTensor(["Biscoe", "Dream"], 2, 1)),
        NamedTensor.Create("bill_length_mm", new[] { 39.5f, float.NaN }, 2, 1),
        NamedTensor.Create("year", new[] { 2009L, 2007L }, 2, 1),
    ];

    [Fact]
    public void Typed_contents_carry_each_input_s_datatype_shape_and_values()
    {
        var request = OpenInferenceGrpc.InferRequest("penguins", Inputs, id: "r1");

        Assert.Equal(("penguins", "r1", 0), (request.ModelName, request.Id, request.RawInputContents.Count));
        Assert.Equal(["BYTES", "FP32", "INT64"], request.Inputs.Select(i => i.Datatype));
        Assert.All(request.Inputs, i => Assert.Equal([2L, 1L], i.Shape));
        Assert.Equal(["Biscoe", "Dream"], request.Inputs[0].Contents.BytesContents.Select(b => b.ToStringUtf8()));
        Assert.Equal(39.5f, request.Inputs[1].Contents.Fp32Contents[0]);
        Assert.True(float.IsNaN(request.Inputs[1].Contents.Fp32Contents[1])); // protobuf floats carry NaN, unlike JSON
        Assert.Equal([2009L, 2007L], request.Inputs[2].Contents.Int64Contents);
    }

    [Fact]
    public void Raw_contents_are_little_endian_rows_and_length_prefixed_strings_one_entry_per_input_in_order()
    {
        var request = OpenInferenceGrpc.InferRequest("penguins", Inputs, raw: true);

        Assert.All(request.Inputs, i => Assert.Null(i.Contents));
        Assert.Equal(3, request.RawInputContents.Count);
        var strings = request.RawInputContents[0].ToByteArray();
        Assert.Equal([6, 0, 0, 0, .. "Biscoe"u8.ToArray(), 5, 0, 0, 0, .. "Dream"u8.ToArray()], strings);
        Assert.Equal(39.5f, BinaryPrimitives.ReadSingleLittleEndian(request.RawInputContents[1].Span));
        Assert.Equal(2007L, BinaryPrimitives.ReadInt64LittleEndian(request.RawInputContents[2].Span[8..]));
    }

    [Fact]
    public void Answers_in_typed_and_raw_contents_read_the_same()
    {
        var typed = new ModelInferResponse { ModelVersion = "1.0.1" };
        typed.Outputs.Add(Output("probabilities", "FP32", c => c.Fp32Contents.AddRange([0.1f, 0.7f, 0.2f])));
        typed.Outputs.Add(Output("label", "BYTES", c => c.BytesContents.Add(ByteString.CopyFromUtf8("Gentoo"))));

        var raw = new ModelInferResponse { ModelVersion = "1.0.1" };
        raw.Outputs.Add(Output("label", "BYTES", null));
        raw.Outputs.Add(Output("probabilities", "FP32", null));
        raw.RawOutputContents.Add(ByteString.CopyFrom([6, 0, 0, 0, .. "Gentoo"u8.ToArray()]));
        raw.RawOutputContents.Add(ByteString.CopyFrom(new[] { 0.1f, 0.7f, 0.2f }.SelectMany(BitConverter.GetBytes).ToArray()));

        foreach (var answer in new[] { OpenInferenceGrpc.ParseAnswer(typed), OpenInferenceGrpc.ParseAnswer(raw) })
        {
            Assert.Equal("1.0.1", answer.ModelVersion);
            Assert.Equal([0.1f, 0.7f, 0.2f], answer.Probabilities);
            Assert.Equal(["Gentoo"], answer.Labels);
        }
    }

    [Fact]
    public void A_BYTES_output_whose_length_prefix_overruns_is_unreadable_not_a_crash()
    {
        var response = new ModelInferResponse();
        response.Outputs.Add(Output("probabilities", "FP32", c => c.Fp32Contents.Add(1f)));
        response.Outputs.Add(Output("label", "BYTES", null));
        response.RawOutputContents.Add(ByteString.Empty);
        response.RawOutputContents.Add(ByteString.CopyFrom([200, 0, 0, 0, 65]));

        var error = Assert.Throws<InvalidDataException>(() => OpenInferenceGrpc.ParseAnswer(response));
        Assert.Contains("claims 200 bytes", error.Message);
    }

    private static ModelInferResponse.Types.InferOutputTensor Output(string name, string datatype, Action<InferTensorContents>? fill)
    {
        var output = new ModelInferResponse.Types.InferOutputTensor { Name = name, Datatype = datatype };
        if (fill is not null)
        {
            output.Contents = new InferTensorContents();
            fill(output.Contents);
        }

        return output;
    }
}
