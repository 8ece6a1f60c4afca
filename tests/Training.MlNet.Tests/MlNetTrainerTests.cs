using Microsoft.ML;

namespace Training.MlNet.Tests;

/// <summary>Which candidates MlNetTrainer fits, and that it is repeatable and cancelable.</summary>
public sealed class MlNetTrainerTests
{
    private readonly SyntheticModel _definition = new();

    [Fact]
    public async Task Without_a_selection_every_candidate_but_the_opt_in_ones_trains()
    {
        var log = new List<string>();
        var trained = await TrainAsync(null, log);

        Assert.Equal(["sdca"], trained.Select(c => c.Name));
        Assert.Contains(log, line => line.Contains("synthetic/sdca: trained in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_selection_trains_exactly_the_named_candidates_including_opt_in_ones()
    {
        var trained = await TrainAsync(new HashSet<string> { "slow" }, []);

        Assert.Equal(["slow"], trained.Select(c => c.Name));
    }

    [Fact]
    public async Task An_unknown_candidate_name_is_an_error_that_lists_the_candidates()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => TrainAsync(new HashSet<string> { "sdca", "xgboost" }, []));

        Assert.Contains("'xgboost'", error.Message);
        Assert.Contains("sdca, slow (opt-in)", error.Message);
    }

    [Fact]
    public async Task Training_the_same_seed_twice_gives_the_same_metrics()
    {
        var first = await TrainAsync(null, []);
        var second = await TrainAsync(null, []);

        Assert.Equal(first[0].TestMetrics, second[0].TestMetrics);
    }

    [Fact]
    public async Task A_canceled_token_stops_before_training()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        var data = await _definition.LoadAsync(new MLContext(1), new ModelDataFiles("unused"), 1, CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new MlNetTrainer().TrainAsync(_definition, data, 1, null, _ => { }, canceled.Token));
    }

    private async Task<IReadOnlyList<TrainedCandidate>> TrainAsync(IReadOnlySet<string>? include, List<string> log)
    {
        var data = await _definition.LoadAsync(new MLContext(5), new ModelDataFiles("unused"), 5, CancellationToken.None);
        return await new MlNetTrainer().TrainAsync(_definition, data, 5, include, log.Add, CancellationToken.None);
    }
}
