// The statistics for observers at national scale (issue 17): N stations x 2 contests with planted manipulation.
// Figures: the full computation (the forensics grain's rebuild from the ledger), one new protocol (applied, then the
// national report recomputed, which is what the first page or API call after it costs), per-selection reports, the
// report's JSON, and memory. Ratios are against parsing the same ledger payloads, which any rebuild must do.
// Run: dotnet run -c Release --project infra/bench/forensics -- [stations] [rounds]
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Portal.Grains.Forensics;
using Portal.Grains.Ledger;
using Portal.Grains.Live;
using Portal.Grains.Model;
using Portal.Grains.Results;
using Portal.TestSupport;

var stations = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var rounds = args.Length > 1 ? int.Parse(args[1]) : 20;
string[] contests = ["legislative", "council"];

Console.WriteLine($"generating {stations:N0} stations x {contests.Length} contests ...");
var election = SyntheticElection.Generate(stations, 17, new Planting(stations / 50, stations / 40, stations / 20), contests, constituencies: 150);
var catalog = SyntheticElection.Catalog(election.Election);
var clock = ElectionClock.FromTimeProvider(catalog, new FakeTimeProvider(SyntheticElection.PollsClose.AddHours(3)));

// Warm-up (JIT) on a small model.
var warm = new ElectionForensics(catalog, clock);
foreach (var e in election.Entries.Take(2000)) warm.Apply(e);
warm.Report("legislative", null, null);

// Baseline: parse every protocol payload.
var watch = Stopwatch.StartNew();
foreach (var e in election.Entries) LedgerPayloads.ParseProtocol(e.Payload);
var parse = watch.Elapsed;

GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
var memoryBefore = GC.GetTotalMemory(true);
watch.Restart();
var model = new ElectionForensics(catalog, clock);
foreach (var e in election.Entries) model.Apply(e);
var build = watch.Elapsed;
watch.Restart();
var reports = contests.Select(c => model.Report(c, null, null)).ToList();
var firstReports = watch.Elapsed;
GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
var memory = GC.GetTotalMemory(true) - memoryBefore;
GC.KeepAlive(model);

// One new protocol (a correction of a random station), then the national report of its contest recomputed.
var random = new Random(3);
var last = election.Entries[^1];
var applyTimes = new List<double>();
var reportTimes = new List<double>();
for (var i = 0; i < rounds; i++)
{
    var station = election.Election.Stations[random.Next(stations)];
    var p = SyntheticElection.Honest(random, station, "legislative") with { SubmissionId = $"fix-{i}", Supersedes = $"{station.Id}-legislative", Reason = "recount" };
    var entry = SyntheticElection.Entry(last, station.Id, p, 2 + i);
    last = entry;
    watch.Restart();
    model.Apply(entry);
    applyTimes.Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    model.Report("legislative", null, null);
    reportTimes.Add(watch.Elapsed.TotalMilliseconds);
}

watch.Restart();
for (var i = 0; i < rounds; i++) model.Report("legislative", "r1", null);
var region = watch.Elapsed.TotalMilliseconds / rounds;
watch.Restart();
for (var i = 0; i < rounds; i++) model.Report("legislative", null, "7");
var constituency = watch.Elapsed.TotalMilliseconds / rounds;
watch.Restart();
var json = "";
for (var i = 0; i < rounds; i++) json = JsonSerializer.Serialize(reports[0], LiveJson.Options);
var serialize = watch.Elapsed.TotalMilliseconds / rounds;

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
var parseMs = parse.TotalMilliseconds;
Console.WriteLine($"stations x contests               {stations:N0} x {contests.Length} ({election.Entries.Count:N0} protocol entries)");
Console.WriteLine($"baseline: parse every payload      {parseMs:N0} ms (1.00)");
Console.WriteLine($"full computation: apply all        {build.TotalMilliseconds:N0} ms ({build.TotalMilliseconds / parseMs:N2}x baseline)");
Console.WriteLine($"  + first national report, both    {firstReports.TotalMilliseconds:N0} ms ({firstReports.TotalMilliseconds / parseMs:N3}x)");
Console.WriteLine($"memory held by the model           {memory / 1_048_576.0:N0} MiB ({memory / (double)election.Entries.Count:N0} bytes per station and contest)");
Console.WriteLine($"one new protocol: apply (median)   {Median(applyTimes):N3} ms ({Median(applyTimes) / parseMs * election.Entries.Count:N1}x one payload's parse)");
Console.WriteLine($"  then national report (median)    {Median(reportTimes):N1} ms ({Median(reportTimes) / parseMs:N3}x baseline)");
Console.WriteLine($"region report (half the stations)  {region:N1} ms");
Console.WriteLine($"constituency report                {constituency:N2} ms");
Console.WriteLine($"national report JSON               {serialize:N1} ms, {json.Length / 1024.0:N0} KiB, {reports[0].Flags.Count:N0} flags");
// The grain reads the ledger every second (ForensicsGrain.FollowInterval) and then recomputes the selections asked for
// lately, so a call after a new protocol is served from the cache and the figure is at most this old:
Console.WriteLine($"current within (follow + apply + report) {ForensicsGrain.FollowInterval.TotalMilliseconds + Median(applyTimes) + Median(reportTimes):N0} ms " +
    $"(target 2,000); a call is then a cache hit plus the JSON above");
Console.WriteLine($"planted found: corner {reports[0].Fingerprint!.Cells.Where(c => c[0] >= 95 && c[1] >= 90).Sum(c => c[2]):N0} of {election.Stuffed.Count:N0} stuffed; " +
    $"whole turnout p = {reports[0].IntegerPercent!.Turnout.PValue:G3}; last digits p = {reports[0].LastDigit!.PValue:G3}");
