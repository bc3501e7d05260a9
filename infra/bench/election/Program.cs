// Generation of the demo election at benchmark scale: time and memory for N stations, with and
// without key pairs (keys are a separate step because ECDSA key generation dominates at scale).
using System.Diagnostics;
using Portal.Grains.Demo;
using Portal.Grains.Model;

var stations = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var keyed = args.Length > 1 ? int.Parse(args[1]) : 10_000;

DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = 1_000 }); // warm-up (JIT)
var before = GC.GetTotalAllocatedBytes(precise: true);
var watch = Stopwatch.StartNew();
var election = DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = stations });
var generate = watch.Elapsed;
var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

watch.Restart();
var errors = ElectionDefinitionValidator.Validate(election);
var validate = watch.Elapsed;

watch.Restart();
var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(election, ElectionDefinitionLoader.JsonOptions);
var serialize = watch.Elapsed;

watch.Restart();
DemoElectionGenerator.GenerateKeys(election.Stations.Take(keyed));
var keys = watch.Elapsed;

Console.WriteLine($"stations              {election.Stations.Count:N0} ({errors.Count} validation errors)");
Console.WriteLine($"generate              {generate.TotalMilliseconds:N0} ms ({allocated / 1_048_576.0:N0} MiB allocated)");
Console.WriteLine($"validate              {validate.TotalMilliseconds:N0} ms");
Console.WriteLine($"serialize to JSON     {serialize.TotalMilliseconds:N0} ms ({json.Length / 1_048_576.0:N1} MiB)");
Console.WriteLine($"ECDSA P-256 key pairs {keyed:N0} in {keys.TotalMilliseconds:N0} ms ({keyed / keys.TotalSeconds:N0}/s; {stations:N0} would take {stations / (keyed / keys.TotalSeconds):N1} s)");
