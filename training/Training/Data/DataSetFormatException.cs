namespace Training.Data;

/// <summary>An input data file is malformed. The message names the file and what is wrong with it.</summary>
public sealed class DataSetFormatException : Exception
{
    public DataSetFormatException(string message) : base(message) { }
    public DataSetFormatException(string message, Exception inner) : base(message, inner) { }
}
