namespace Pipeline.Engine.Tests.Incremental;

/// <summary>Generate concatenates src/*.txt with the seed into out/result.txt; it counts its runs.</summary>
public sealed class IncrementalBuild(EventLog log) : BuildDefinition
{
    [Parameter] public readonly int Seed = 1;
    [Parameter, Secret] public readonly string Token = "t0ken-value-1";
    [Parameter] public readonly bool SkipWriting;
    [Parameter] public readonly bool Fail;

    public override Target? DefaultTarget => Generate;

    Target Generate => _ => _
        .Inputs("src/**/*.txt", "!**/generated/**")
        .Inputs(() => Seed, () => Token)
        .Outputs("out/result.txt")
        .Executes((context, _) =>
        {
            log.Add(nameof(Generate));
            context.Log.WriteLine($"run reason: {context.RunReason}");
            context.Log.WriteLine($"forced: {context.Forced}");
            if (!SkipWriting)
            {
                var sources = Directory.GetFiles(RootDirectory / "src", "*.txt").Order().Select(File.ReadAllText);
                Directory.CreateDirectory(RootDirectory / "out");
                File.WriteAllText(RootDirectory / "out" / "result.txt", string.Concat(sources) + Seed);
            }

            if (Fail)
            {
                throw new InvalidOperationException("generation failed half-way");
            }
        });

    Target Binaries => _ => _
        .Inputs("src")
        .Outputs("bin/*.bin")
        .Executes(() =>
        {
            log.Add(nameof(Binaries));
            Directory.CreateDirectory(RootDirectory / "bin");
            File.WriteAllText(RootDirectory / "bin" / "a.bin", "a");
        });
}
