namespace Training.Optimization;

/// <summary>Updates its parameters from their current gradients. One call is one optimization step.</summary>
public interface IOptimizer
{
    void Step(double learningRate);
}
