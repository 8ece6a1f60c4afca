using Serving.Server.Inference;
using Serving.Server.Model;

namespace Serving.Server.Metrics;

/// <summary>After a successful run, counts each answered row's predicted class and drift bins.</summary>
internal sealed class AnsweredRowMetrics(PredictedClasses? classifier, PredictionMetrics? predictions, DriftMetrics? drift)
{
    private const int StackRows = 256;

    public void Observe(InferenceCall call)
    {
        if (classifier is null && drift is null) return;
        Span<int> scratch = call.Rows <= StackRows ? stackalloc int[call.Rows] : new int[call.Rows];
        if (classifier is not null && classifier.TryClassify(call, scratch))
        {
            predictions?.Count(scratch);
            drift?.CountClasses(scratch);
        }

        drift?.CountInputs(call, scratch);
    }
}
