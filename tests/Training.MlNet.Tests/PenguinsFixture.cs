using Microsoft.ML;

namespace Training.MlNet.Tests;

/// <summary>The penguins data, loaded and split with <see cref="Seed"/>, and every candidate trained once for all tests.</summary>
public sealed class PenguinsFixture : IAsyncLifetime
{
    public const int Seed = 7;

    private string? _temporaryRoot;

    public IModelDefinition Definition { get; } = new Models.PenguinsModel();

    public MLContext Ml { get; } = new(Seed);

    public ModelDataFiles Files { get; private set; } = null!;

    public ModelData Data { get; private set; } = null!;

    public IReadOnlyList<TrainedCandidate> Trained { get; private set; } = null!;

    public List<string> Log { get; } = [];

    public async Task InitializeAsync()
    {
        (Files, _temporaryRoot) = await PenguinsDataDirectory.ResolveAsync(CancellationToken.None);
        Data = await Definition.LoadAsync(Ml, Files, Seed, CancellationToken.None);
        Trained = await new MlNetTrainer().TrainAsync(Definition, Data, Seed, null, Log.Add, CancellationToken.None);
    }

    public string CsvPath => Files.Resolve(Definition.Data[0]);

    public TrainedCandidate Candidate(string name) => Trained.Single(c => c.Name == name);

    public Task DisposeAsync()
    {
        if (_temporaryRoot is not null) Directory.Delete(_temporaryRoot, recursive: true);
        return Task.CompletedTask;
    }

    public static MlNetExportMetadata Metadata(string modelName) => new(
        modelName, "1.2.3", "0123456789abcdef0123456789abcdef01234567",
        new Dictionary<string, string> { ["data.csv"] = new('a', 64) },
        new Dictionary<string, string> { ["seed"] = Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero));
}

/// <summary>Shares one <see cref="PenguinsFixture"/> (one download, one training run) between the penguins tests.</summary>
[CollectionDefinition(Name)]
public sealed class PenguinsCollection : ICollectionFixture<PenguinsFixture>
{
    public const string Name = "penguins";
}
