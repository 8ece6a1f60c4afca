using Training.Benchmarks;
using Training.Data;

// Usage: dotnet run -c Release --project benchmarks/Training.Benchmarks [-- [gemm] [epochs[=N]] [full]]
// With no arguments: the GEMM table and a 3-epoch timing of the default MLP at 1 and 2 threads.
var sections = args.Length == 0 ? ["gemm", "epochs"] : args;
var threads = new[] { 1, 2 }.Where(t => t <= Environment.ProcessorCount).DefaultIfEmpty(1).Distinct().ToArray();
var directory = FashionMnist.ResolveDirectory(Environment.GetEnvironmentVariable(FashionMnist.DirectoryEnvironmentVariable));
Console.WriteLine($"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, " +
                  $"Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
Console.WriteLine();

if (sections.Contains("gemm")) GemmBenchmark.Run(Console.Out, threads, TimeSpan.FromMilliseconds(400));
if (sections.FirstOrDefault(s => s.StartsWith("epochs")) is { } epochArg)
{
    var epochs = epochArg.Contains('=') ? int.Parse(epochArg[(epochArg.IndexOf('=') + 1)..]) : 3;
    await EpochBenchmark.RunAsync(Console.Out, await FashionMnist.LoadAsync(directory), threads, epochs);
}
if (sections.Contains("full")) await EndToEndBenchmark.RunAsync(Console.Out, directory);
