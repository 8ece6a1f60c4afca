using Pipeline.Engine;
using Pipeline.GitHubActions.Model;

namespace Pipeline.GitHubActions.Generation;

/// <summary>
/// A job that runs <c>./build.sh</c> with <see cref="Targets"/>. What it skips, which jobs it needs and which artifacts
/// it downloads and uploads are derived from the target graph; the properties here only add what the graph cannot say.
/// </summary>
public sealed record TargetJob(string Id, params string[] Targets)
{
    public string? Name { get; init; }

    /// <summary>
    /// Targets an earlier job already ran that this job runs again because their result stays on that job's runner
    /// (an image in its local registry, not a file an artifact can carry). The job still waits for that earlier job.
    /// </summary>
    public IReadOnlyList<string> Reruns { get; init; } = [];

    /// <summary>Jobs to wait for beyond those the graph implies (e.g. production waits for the end-to-end test).</summary>
    public IReadOnlyList<string> AlsoNeeds { get; init; } = [];

    /// <summary>
    /// Artifacts this job's targets use without declaring <c>Consumes</c> yet; treated exactly like a declared Consumes.
    /// </summary>
    public IReadOnlyList<ConsumedArtifacts> AlsoConsumes { get; init; } = [];

    public string? If { get; init; }

    public string? Environment { get; init; }

    public WorkflowConcurrency? Concurrency { get; init; }

    public int? TimeoutMinutes { get; init; }

    /// <summary>Parameter values passed on the command line, as a developer would type them (<c>--environment kubernetes</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>Secrets handed to [Secret] parameters through their environment variable.</summary>
    public IReadOnlyList<SecretParameter> Secrets { get; init; } = [];

    /// <summary>Secrets whose content goes to a file in the runner's temp directory, whose path is the parameter's value.</summary>
    public IReadOnlyList<SecretFileParameter> SecretFiles { get; init; } = [];

    /// <summary>Manual-run inputs handed to parameters through their environment variable (an empty input leaves the default).</summary>
    public IReadOnlyList<InputParameter> Inputs { get; init; } = [];

    /// <summary>
    /// Files for people (gate tables, load-test reports, test results), uploaded as <c>{Id}-reports</c> even when the
    /// build failed, since a failed gate is when they are read.
    /// </summary>
    public IReadOnlyList<string> Reports { get; init; } = [];

    /// <summary>Steps that prepare the runner before the build runs (e.g. creating a kind cluster).</summary>
    public IReadOnlyList<WorkflowStep> StepsBeforeBuild { get; init; } = [];
}

/// <summary>The GitHub secret <paramref name="Secret"/> becomes the environment variable of the [Secret] parameter.</summary>
public sealed record SecretParameter(string Parameter, string Secret);

/// <summary>The GitHub secret's content is written to <c>$RUNNER_TEMP/FileName</c>; the [Secret] parameter gets that path.</summary>
public sealed record SecretFileParameter(string Parameter, string Secret, string FileName);

/// <summary>The manual run's input becomes the parameter's environment variable.</summary>
public sealed record InputParameter(string Parameter, string Input);
