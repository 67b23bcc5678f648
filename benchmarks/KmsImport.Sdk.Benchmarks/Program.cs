using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// The machine is shared: give the generated project time to build.
IConfig config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
