using Training.Compute;

namespace Training.Optimization;

/// <summary>
/// Runs an optimizer's element-wise update over all parameters, split into contiguous chunks (one per share).
/// Each element's update reads only that element's state, so any split gives the same bits; chunks start at
/// multiples of 64 elements so the vector/scalar boundary is the same for every thread count as well.
/// </summary>
internal sealed class ElementwiseUpdate : IParallelWork
{
    private const int Granule = 64;
    private readonly IReadOnlyList<ParameterTensor> _parameters;
    private readonly Action<int, int, int> _update;
    private readonly long _total;

    /// <param name="update">Updates elements [start, end) of parameter <c>index</c>.</param>
    public ElementwiseUpdate(IReadOnlyList<ParameterTensor> parameters, Action<int, int, int> update)
    {
        _parameters = parameters;
        _update = update;
        _total = parameters.Sum(p => (long)p.Length);
    }

    public void Run(WorkerPool? pool)
    {
        if (pool is null || _total < 32_768) Execute(0, 1);
        else pool.Run(this);
    }

    public void Execute(int share, int shareCount)
    {
        for (var index = 0; index < _parameters.Count; index++)
        {
            var length = _parameters[index].Length;
            var granules = (length + Granule - 1) / Granule;
            var start = (int)Math.Min(length, (long)granules * share / shareCount * Granule);
            var end = (int)Math.Min(length, (long)granules * (share + 1) / shareCount * Granule);
            if (start < end) _update(index, start, end);
        }
    }
}
