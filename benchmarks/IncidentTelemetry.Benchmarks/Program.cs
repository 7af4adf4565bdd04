using BenchmarkDotNet.Running;

// Every benchmark of the library's hot paths and scrape; see docs/performance.md.
//   dotnet run -c Release --project benchmarks/IncidentTelemetry.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
