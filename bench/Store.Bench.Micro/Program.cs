using BenchmarkDotNet.Running;

// Micro benchmarks: dotnet run -c Release --project bench/Store.Bench.Micro -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
