using Training.Benchmarks;

GemmBenchmark.Run(Console.Out, [1, 2], TimeSpan.FromMilliseconds(400));
