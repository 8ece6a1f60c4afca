using Training.Compute;
using Training.Data;
using Training.Models;

namespace Training.Compression;

internal static class ModelAccuracy
{
    public static double Measure(MlpModel model, DataSet data, ExecutionOptions? execution)
    {
        execution ??= new ExecutionOptions();
        using var pool = new WorkerPool(execution.DegreeOfParallelism);
        return new MlpPredictor(model, new MatrixMultiplier(pool, execution.Kernel)).LossAndAccuracy(data).Accuracy;
    }
}
