using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using IncidentTelemetry.Benchmarks;

// Every benchmark of the library's hot paths and scrape; see docs/performance.md.
//   bash scripts/bench.sh                      (all of them, then the scrape size report)
//   dotnet run -c Release --project benchmarks/IncidentTelemetry.Benchmarks -- --filter '*'
//   dotnet run -c Release --project benchmarks/IncidentTelemetry.Benchmarks -- http-scrape-sizes   (bytes on the wire per scrape)
//   dotnet run -c Release --project benchmarks/IncidentTelemetry.Benchmarks -- profile-loop pool 10   (for a profiler)
if (args is ["http-scrape-sizes", ..])
{
    HttpScrapeBenchmarks.PrintSizes();
    return;
}

if (args is ["profile-loop", var operation, var seconds])
{
    ProfileLoop.Run(operation, TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)));
    return;
}

// In-process (--inProcess): the benchmarks run inside this Release process, so BenchmarkDotNet does not
// generate and build a second project (which central package management and warnings-as-errors would fight).
var config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Contains("--inProcess") ? args : ["--inProcess", .. args], config);
