namespace Training.MlNet;

/// <summary>What a model predicts; it decides the gate metrics and the outputs of the serving contract.</summary>
public enum ModelTask
{
    /// <summary>One of several classes: outputs <c>probabilities</c> float [N, C] and <c>label</c> (the original label values).</summary>
    MulticlassClassification,

    /// <summary>One of two classes: the same outputs as multiclass with C = 2.</summary>
    BinaryClassification,

    /// <summary>A number: output <c>value</c> float [N].</summary>
    Regression,
}
