using Training.Compute;

namespace Training.Data;

/// <summary>A training set and the validation set held out of it (the official test set stays out of both).</summary>
public sealed record TrainValidationSplit(DataSet Train, DataSet Validation);

public static class DataSplitter
{
    /// <summary>
    /// Deterministically holds out round(<paramref name="validationFraction"/> * Count) samples for validation.
    /// Stratified: each class contributes its own share, so class proportions match in both parts. The result
    /// depends only on the data order, the fraction and <paramref name="seed"/> (own PRNG, not System.Random).
    /// Both parts keep the original sample order within themselves.
    /// </summary>
    public static TrainValidationSplit Split(DataSet data, double validationFraction, ulong seed, bool stratified = true)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), $"Validation fraction must be between 0 and 1 (exclusive), got {validationFraction}.");
        var rng = Xoshiro256.ForStream(seed, RandomStream.Split);
        var inValidation = new bool[data.Count];
        if (stratified)
        {
            var byClass = new List<int>[data.ClassCount];
            for (var c = 0; c < byClass.Length; c++) byClass[c] = [];
            for (var i = 0; i < data.Count; i++) byClass[data.Labels[i]].Add(i);
            foreach (var members in byClass)
                MarkRandomSubset(members.ToArray(), validationFraction, ref rng, inValidation);
        }
        else
        {
            MarkRandomSubset(Enumerable.Range(0, data.Count).ToArray(), validationFraction, ref rng, inValidation);
        }

        var validationCount = inValidation.Count(v => v);
        if (validationCount == 0 || validationCount == data.Count)
            throw new ArgumentException($"Splitting {data.Count} samples with validation fraction {validationFraction} leaves one part empty; use more data or another fraction.", nameof(validationFraction));
        var train = new int[data.Count - validationCount];
        var validation = new int[validationCount];
        int t = 0, v = 0;
        for (var i = 0; i < data.Count; i++)
            if (inValidation[i]) validation[v++] = i;
            else train[t++] = i;
        return new TrainValidationSplit(data.Select(train), data.Select(validation));
    }

    private static void MarkRandomSubset(int[] members, double fraction, ref Xoshiro256 rng, bool[] marks)
    {
        rng.Shuffle(members);
        var take = (int)Math.Round(members.Length * fraction, MidpointRounding.AwayFromZero);
        for (var i = 0; i < take; i++) marks[members[i]] = true;
    }
}
