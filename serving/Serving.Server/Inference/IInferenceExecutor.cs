namespace Serving.Server.Inference;

/// <summary>Runs checked calls on the model: one at a time each, or merged with others.</summary>
internal interface IInferenceExecutor
{
    /// <summary>
    /// Completes when the call's outputs are written (or the run failed). The call must stay alive until then;
    /// the returned task never completes while the executor still touches the call.
    /// </summary>
    Task RunAsync(InferenceCall call, CancellationToken cancellationToken);
}
