using Pipeline.LoadTesting.Scenarios;
using Pipeline.IO;
using Pipeline.OnnxRuntime;

namespace Pipeline.Stages;

/// <summary>
/// The requests of a load test: JSON infer bodies of real test-set rows (batch 1), prepared once so the generator
/// spends its time sending, and the gated model's own answers to them (<see cref="GatedModelAnswers"/>), against which
/// every <c>checkEvery</c>-th response is compared. A wrong label or probabilities further than the tolerance count
/// as an error of kind <see cref="WrongAnswer"/>: a fast server that answers wrongly must not pass. With an API key,
/// every request presents it as a bearer token, as a real client of an authenticated server does.
/// </summary>
public sealed class InferenceWorkload
{
    public const string WrongAnswer = AnswerCheck.WrongAnswer;
    public const string UnreadableAnswer = AnswerCheck.UnreadableAnswer;
    public const double ProbabilityTolerance = AnswerCheck.ProbabilityTolerance;

    private readonly byte[][] _bodies;
    private readonly float[][] _expectedProbabilities;
    private readonly string[] _expectedLabels;
    private readonly string _path;
    private readonly int _checkEvery;
    private readonly ServingApiKey? _apiKey;
    private long _next = -1;
    private long _checked;

    private InferenceWorkload(byte[][] bodies, float[][] probabilities, string[] labels, string modelName, int checkEvery, ServingApiKey? apiKey)
    {
        _apiKey = apiKey;
        _bodies = bodies;
        _expectedProbabilities = probabilities;
        _expectedLabels = labels;
        _path = $"/v2/models/{modelName}/infer";
        _checkEvery = checkEvery;
    }

    public int DistinctRequests => _bodies.Length;

    /// <summary>Responses compared with the model's own answers so far.</summary>
    public long Checked => Interlocked.Read(ref _checked);

    /// <summary>Bodies for the first <paramref name="images"/> test rows, answered by <paramref name="modelPath"/> in process.</summary>
    public static async Task<InferenceWorkload> CreateAsync(
        OrtEnvironment ort, string modelPath, string modelName, ModelSource source, int images, int checkEvery, CancellationToken cancellationToken,
        ServingApiKey? apiKey = null)
    {
        if (images < 1) throw new ArgumentOutOfRangeException(nameof(images), images, "A load test needs at least one distinct request.");
        if (checkEvery < 1) throw new ArgumentOutOfRangeException(nameof(checkEvery), checkEvery, "checkEvery must be ≥ 1 (1 checks every response).");
        var answers = await GatedModelAnswers.ComputeAsync(ort, modelPath, source, images, cancellationToken);
        var bodies = new byte[answers.Count][];
        for (var i = 0; i < answers.Count; i++)
            bodies[i] = OpenInferenceJson.InferRequest(answers.Rows[i], id: $"load-{i}");
        return new InferenceWorkload(bodies, answers.Probabilities, answers.Labels, modelName, checkEvery, apiKey);
    }

    /// <summary>The request for row <paramref name="index"/> (0 ≤ index &lt; <see cref="DistinctRequests"/>), without a check of its answer.</summary>
    public HttpRequestMessage Request(int index)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _path) { Content = new ByteArrayContent(_bodies[index]) };
        request.Content.Headers.ContentType = new("application/json");
        if (_apiKey is not null) request.Headers.Authorization = new("Bearer", _apiKey.Secret);
        return request;
    }

    /// <summary>
    /// Bodies for the first <paramref name="images"/> test rows in <paramref name="modelPath"/>'s input names, with no answers
    /// to check against: traffic for an analysis, which reads the servers' own metrics, need not run the model here.
    /// </summary>
    public static async Task<InferenceWorkload> UncheckedAsync(OrtEnvironment ort, string modelPath, string modelName, ModelSource source, int images,
        CancellationToken cancellationToken, ServingApiKey? apiKey = null)
    {
        using var session = new InferenceSession(ort, modelPath);
        var rows = await GatedModelAnswers.RowsAsync(session, source, images, cancellationToken);
        var bodies = rows.Select((row, i) => OpenInferenceJson.InferRequest(row, id: $"analysis-{i}")).ToArray();
        return new InferenceWorkload(bodies, [], [], modelName, checkEvery: int.MaxValue, apiKey);
    }

    /// <summary>The next request, cycling through the images; every checkEvery-th carries the check of its answer.</summary>
    public HttpRequestPlan Next()
    {
        var sequence = Interlocked.Increment(ref _next);
        var index = (int)(sequence % _bodies.Length);
        var request = Request(index);
        return sequence % _checkEvery == 0 && _expectedLabels.Length > 0 ? new HttpRequestPlan(request, body => Check(index, body)) : new HttpRequestPlan(request);
    }

    /// <summary>Null when the answer to image <paramref name="index"/> is the model's own, else the error kind.</summary>
    public string? Check(int index, ReadOnlyMemory<byte> body)
    {
        Interlocked.Increment(ref _checked);
        InferenceAnswer answer;
        try
        {
            answer = OpenInferenceJson.ParseAnswer(body.Span);
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return UnreadableAnswer;
        }
        return AnswerCheck.Compare(answer, _expectedProbabilities[index], _expectedLabels[index]);
    }
}
