using Pipeline.GitHubActions.Yaml;
using YamlDotNet.RepresentationModel;

namespace Pipeline.GitHubActions.Model;

/// <summary>Turns the typed workflow into YAML in GitHub's documented key order, and checks what GitHub would refuse.</summary>
public static class WorkflowSerializer
{
    /// <summary>The workflow file's text: header comment, then the workflow with a blank line between jobs.</summary>
    public static string ToYaml(Workflow workflow, IReadOnlyList<string> headerComment) =>
        YamlDocumentWriter.Write(ToNode(workflow), headerComment, ReleaseComments(workflow), spacedMapping: "jobs");

    public static YamlMappingNode ToNode(Workflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        Validate(workflow);
        return new YamlMappingBuilder()
            .Add("name", workflow.Name)
            .AddAlways("on", Triggers(workflow.On))
            .AddAlways("permissions", Pairs(workflow.Permissions))
            .Add("concurrency", Concurrency(workflow.Concurrency))
            .Add("env", Pairs(workflow.Env))
            .AddAlways("jobs", workflow.Jobs.Aggregate(new YamlMappingBuilder(), (jobs, job) => jobs.AddAlways(job.Id, Job(job))).Build())
            .Build();
    }

    // Each pinned action's `uses:` text, commented with the release it is, for people and update tools.
    private static Dictionary<string, string> ReleaseComments(Workflow workflow) =>
        workflow.Jobs.SelectMany(job => job.Steps).Select(step => step.Action).OfType<ActionReference>()
            .DistinctBy(action => action.Uses).ToDictionary(action => action.Uses, action => action.Release, StringComparer.Ordinal);

    private static void Validate(Workflow workflow)
    {
        if (workflow.Jobs.Count == 0)
            throw new ArgumentException($"Workflow '{workflow.Name}' has no jobs.");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in workflow.Jobs)
        {
            if (!ids.Add(job.Id))
                throw new ArgumentException($"Workflow '{workflow.Name}' has two jobs with the id '{job.Id}'.");
            var unknown = job.Needs.Where(need => !workflow.Jobs.Any(other => other.Id == need)).ToArray();
            if (unknown.Length > 0)
                throw new ArgumentException($"Job '{job.Id}' needs unknown job(s) {string.Join(", ", unknown)}; jobs are {string.Join(", ", workflow.Jobs.Select(j => j.Id))}.");
            foreach (var step in job.Steps)
                if ((step.Action is null) == (step.Run is null))
                    throw new ArgumentException($"Step '{step.Name}' of job '{job.Id}' must have exactly one of an action or a run script.");
        }
    }

    private static YamlMappingNode Triggers(WorkflowTriggers on)
    {
        var builder = new YamlMappingBuilder();
        if (on.PushBranches is { } push)
            builder.AddAlways("push", new YamlMappingBuilder().Add("branches", Sequence(push)).Build());
        if (on.PullRequestBranches is { } pullRequest)
            builder.AddAlways("pull_request", new YamlMappingBuilder().Add("branches", Sequence(pullRequest)).Build());
        if (on.WorkflowDispatch is { } inputs)
            builder.AddAlways("workflow_dispatch", new YamlMappingBuilder()
                .Add("inputs", inputs.Aggregate(new YamlMappingBuilder(), (mapping, input) => mapping.AddAlways(input.Name, Input(input))).Build())
                .Build());
        var node = builder.Build();
        return node.Children.Count > 0 ? node : throw new ArgumentException("A workflow needs at least one trigger.");
    }

    private static YamlMappingNode Input(WorkflowInput input)
    {
        if (input.Type == WorkflowInputType.Choice && (input.Options.Count == 0 || (input.Default is { } d && !input.Options.Contains(d))))
            throw new ArgumentException($"Choice input '{input.Name}' needs options, and its default among them.");
        return new YamlMappingBuilder()
            .Add("description", input.Description)
            .Add("type", input.Type.ToString().ToLowerInvariant())
            .Add("required", YamlScalars.Boolean(input.Required))
            .Add("default", input.Default is null ? null
                : input.Type == WorkflowInputType.Boolean ? YamlScalars.Boolean(bool.Parse(input.Default)) : YamlScalars.Text(input.Default))
            .Add("options", Sequence(input.Options))
            .Build();
    }

    private static YamlMappingNode Job(WorkflowJob job) =>
        new YamlMappingBuilder()
            .Add("name", job.Name)
            .Add("needs", Sequence(job.Needs))
            .Add("if", job.If)
            .Add("runs-on", job.RunsOn)
            .Add("environment", job.Environment)
            .Add("concurrency", Concurrency(job.Concurrency))
            .Add("timeout-minutes", YamlScalars.Number(job.TimeoutMinutes))
            .Add("env", Pairs(job.Env))
            .Add("steps", new YamlSequenceNode(job.Steps.Select(Step)))
            .Build();

    private static YamlNode Step(WorkflowStep step) =>
        new YamlMappingBuilder()
            .Add("name", step.Name)
            .Add("id", step.Id)
            .Add("if", step.If)
            .Add("uses", step.Action?.Uses)
            .Add("with", Pairs(step.With))
            .Add("env", Pairs(step.Env))
            .Add("run", step.Run)
            .Build();

    private static YamlMappingNode? Concurrency(WorkflowConcurrency? concurrency) =>
        concurrency is null ? null : new YamlMappingBuilder()
            .Add("group", concurrency.Group)
            .Add("cancel-in-progress", concurrency.CancelInProgressWhen is { } when ? YamlScalars.Text(when) : YamlScalars.Boolean(concurrency.CancelInProgress))
            .Build();

    private static YamlMappingNode Pairs(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        var builder = new YamlMappingBuilder();
        foreach (var (key, value) in pairs)
            builder.Add(key, YamlScalars.Text(value));
        return builder.Build();
    }

    private static YamlSequenceNode Sequence(IReadOnlyList<string> items) => new(items.Select(YamlScalars.Text));
}
