using Grpc.Core;
using Pipeline.LoadTesting.Scenarios;
using Pipeline.OnnxRuntime;
using Serving.Protocol.Inference;

namespace Pipeline.Stages;

/// <summary>
/// The gRPC counterpart of <see cref="InferenceWorkload"/>: ModelInfer requests of real test-set rows (batch 1, typed or
/// raw contents), prepared once, and every <c>checkEvery</c>-th answer compared with the gated model's own.
/// </summary>
public sealed class GrpcInferenceWorkload
{
    private readonly ModelInferRequest[] _requests;
    private readonly int[] _requestSizes;
    private readonly GatedModelAnswers _answers;
    private readonly int _checkEvery;
    private readonly Metadata? _headers;
    private long _next = -1;
    private long _checked;

    private GrpcInferenceWorkload(ModelInferRequest[] requests, GatedModelAnswers answers, int checkEvery, Metadata? headers)
    {
        _requests = requests;
        _requestSizes = requests.Select(r => r.CalculateSize()).ToArray();
        _answers = answers;
        _checkEvery = checkEvery;
        _headers = headers;
    }

    public int DistinctRequests => _requests.Length;

    /// <summary>Responses compared with the model's own answers so far.</summary>
    public long Checked => Interlocked.Read(ref _checked);

    /// <param name="raw">Send raw_input_contents instead of typed contents.</param>
    /// <param name="headers">Call metadata every request carries (e.g. the API key), or null.</param>
    public static async Task<GrpcInferenceWorkload> CreateAsync(OrtEnvironment ort, string modelPath, string modelName, ModelSource source,
        int images, int checkEvery, bool raw, Metadata? headers, CancellationToken cancellationToken)
    {
        if (images < 1) throw new ArgumentOutOfRangeException(nameof(images), images, "A load test needs at least one distinct request.");
        if (checkEvery < 1) throw new ArgumentOutOfRangeException(nameof(checkEvery), checkEvery, "checkEvery must be ≥ 1 (1 checks every response).");
        var answers = await GatedModelAnswers.ComputeAsync(ort, modelPath, source, images, cancellationToken);
        var requests = answers.Rows.Select((row, i) => OpenInferenceGrpc.InferRequest(modelName, row, id: $"load-{i}", raw)).ToArray();
        return new GrpcInferenceWorkload(requests, answers, checkEvery, headers);
    }

    /// <summary>A scenario sending the next request on <paramref name="client"/>, cycling through the images.</summary>
    public LoadScenario Scenario(GRPCInferenceService.GRPCInferenceServiceClient client) =>
        GrpcScenario.Create(() => Next(client), response => response.CalculateSize());

    private GrpcCallPlan<ModelInferResponse> Next(GRPCInferenceService.GRPCInferenceServiceClient client)
    {
        var sequence = Interlocked.Increment(ref _next);
        var index = (int)(sequence % _requests.Length);
        var request = _requests[index];
        Func<ModelInferResponse, string?>? check = sequence % _checkEvery == 0 ? response => Check(index, response) : null;
        return new GrpcCallPlan<ModelInferResponse>(options => client.ModelInferAsync(request, _headers is null ? options : options.WithHeaders(_headers)),
            _requestSizes[index], check);
    }

    /// <summary>Null when the answer to image <paramref name="index"/> is the model's own, else the error kind.</summary>
    public string? Check(int index, ModelInferResponse response)
    {
        Interlocked.Increment(ref _checked);
        InferenceAnswer answer;
        try
        {
            answer = OpenInferenceGrpc.ParseAnswer(response);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            return AnswerCheck.UnreadableAnswer;
        }

        return AnswerCheck.Compare(answer, _answers.Probabilities[index], _answers.Labels[index]);
    }
}
