using Pipeline.Engine;
using Pipeline.GitHubActions.Model;

namespace Pipeline.GitHubActions.Generation;

/// <summary>
/// Turns a <see cref="PipelineWorkflow"/> declaration and the build's <see cref="BuildGraph"/> into a <see cref="Workflow"/>:
/// one job per declared job, each running the build script; needs, skips and artifact hand-over come from the graph.
/// </summary>
public static class WorkflowGenerator
{
    public static Workflow Generate(BuildGraph graph, PipelineWorkflow declaration)
    {
        var plans = JobPlanner.Plan(graph, declaration);
        var uploads = plans
            .SelectMany(plan => plan.Downloads)
            .GroupBy(request => request.ProducerJob, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.SelectMany(r => r.Patterns).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

        return new Workflow
        {
            Name = declaration.Name,
            On = declaration.On,
            Permissions = declaration.Permissions,
            Concurrency = declaration.Concurrency,
            Env = declaration.Env,
            Jobs = plans.Select(plan => Job(graph, declaration, plan, uploads)).ToArray(),
        };
    }

    private static WorkflowJob Job(BuildGraph graph, PipelineWorkflow declaration, JobPlan plan, IReadOnlyDictionary<string, string[]> uploads)
    {
        var job = plan.Job;
        var steps = new List<WorkflowStep>(declaration.CommonSteps);
        steps.AddRange(plan.Downloads.Select(download => WorkflowStep.Uses(
            $"Download the {download.ProducerJob} job's artifacts", declaration.DownloadArtifact,
            ("name", download.ProducerJob),
            ("path", ArtifactLayout.Root(uploads[download.ProducerJob])))));
        steps.AddRange(job.SecretFiles.Select(file => SecretFileStep(graph, file)));
        steps.AddRange(job.StepsBeforeBuild);
        steps.Add(BuildStep(graph, declaration, plan));
        if (uploads.TryGetValue(job.Id, out var patterns))
            steps.Add(WorkflowStep.Uses($"Upload what later jobs use", declaration.UploadArtifact,
                ("name", job.Id),
                ("path", string.Join('\n', patterns) + "\n"),
                ("if-no-files-found", "error"),
                ("retention-days", declaration.ArtifactRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        if (job.Reports.Count > 0)
            steps.Add(WorkflowStep.Uses("Upload reports", declaration.UploadArtifact,
                ("name", $"{job.Id}-reports"),
                ("path", string.Join('\n', job.Reports) + "\n"),
                ("if-no-files-found", "ignore"),
                ("retention-days", declaration.ArtifactRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture))) with { If = "always()" });

        return new WorkflowJob
        {
            Id = job.Id,
            Name = job.Name ?? string.Join(' ', job.Targets),
            RunsOn = declaration.RunsOn,
            Needs = plan.Needs,
            If = job.If,
            Environment = job.Environment,
            Concurrency = job.Concurrency,
            TimeoutMinutes = job.TimeoutMinutes ?? declaration.DefaultTimeoutMinutes,
            Steps = steps,
        };
    }

    private static WorkflowStep BuildStep(BuildGraph graph, PipelineWorkflow declaration, JobPlan plan)
    {
        var job = plan.Job;
        var options = job.Parameters.Select(pair => KeyValuePair.Create(Parameter(graph, job, pair.Key).Option, pair.Value)).ToArray();
        var env = new List<KeyValuePair<string, string>>();
        foreach (var secret in job.Secrets)
            env.Add(KeyValuePair.Create(SecretParameter(graph, job, secret.Parameter).EnvironmentVariable, $"${{{{ secrets.{secret.Secret} }}}}"));
        foreach (var file in job.SecretFiles)
            // The parameter gets the file's path, which is no secret (and stays readable in errors); the content is.
            env.Add(KeyValuePair.Create(Parameter(graph, job, file.Parameter).EnvironmentVariable, $"${{{{ runner.temp }}}}/{file.FileName}"));
        foreach (var input in job.Inputs)
            env.Add(KeyValuePair.Create(Parameter(graph, job, input.Parameter).EnvironmentVariable, $"${{{{ inputs.{input.Input} }}}}"));
        var duplicate = env.GroupBy(pair => pair.Key).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Job '{job.Id}' sets the environment variable {duplicate.Key} twice.");

        var command = BuildCommand.Format(declaration.BuildScript, job.Targets.Select(t => graph.GetTarget(t).Name), plan.Skips, options);
        return new WorkflowStep { Name = command, Run = command, Env = env };
    }

    // The secret reaches the file through an environment variable, never through the script text, so it is not in
    // the run log's command echo; GitHub masks secret values in output as well.
    private static WorkflowStep SecretFileStep(BuildGraph graph, SecretFileParameter file)
    {
        var parameter = graph.FindParameter(file.Parameter);
        var script =
            "if [ -z \"$SECRET_CONTENT\" ]; then\n" +
            $"  echo \"::error::The secret {file.Secret} is empty or not set: add it under Settings > Secrets and variables > Actions ({parameter?.Option} takes it as a file).\"\n" +
            "  exit 1\n" +
            "fi\n" +
            "umask 077\n" +
            $"printf '%s\\n' \"$SECRET_CONTENT\" > \"$RUNNER_TEMP/{file.FileName}\"\n";
        return WorkflowStep.Script($"Write the {file.Secret} secret to $RUNNER_TEMP/{file.FileName}", script,
            ("SECRET_CONTENT", $"${{{{ secrets.{file.Secret} }}}}"));
    }

    private static ParameterDescriptor Parameter(BuildGraph graph, TargetJob job, string name) =>
        graph.FindParameter(name) ?? throw new ArgumentException(
            $"Job '{job.Id}' sets the parameter '{name}', which the build does not declare; parameters are {string.Join(", ", graph.Parameters.Select(p => p.Name))}.");

    private static ParameterDescriptor SecretParameter(BuildGraph graph, TargetJob job, string name)
    {
        var parameter = Parameter(graph, job, name);
        return parameter.IsSecret ? parameter : throw new ArgumentException(
            $"Job '{job.Id}' hands a secret to {parameter.Option}, which is not marked [Secret]: mark it so the build masks its value.");
    }
}
