using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.Grains.Ledger;
using Portal.Ingest.Simulation;
using Portal.Ingest.Tests.Infrastructure;
using Portal.Ingest.Verification;

namespace Portal.Ingest.Tests;

/// <summary>
/// A separate portal process is flooded by several clients and killed with SIGKILL mid-flood; restarted on the same
/// data dir it must hold every submission that got a 2xx, in the ledger and in the totals, and the chain must verify.
/// </summary>
public sealed class CrashSafetyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryAcknowledgedSubmissionSurvivesSigkill()
    {
        using var temp = new TempDirectory("crash-");
        var dir = temp.Path;
        var election = DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = 200, ActiveCameraStations = 0 });
        var files = TestElectionFiles.Write(dir, election, keysFileName: "station-keys.csv");
        var (electionFile, keysFile, publicKeys, privateKeys) = (files.ElectionPath, files.KeysPath, files.PublicKeys, files.PrivateKeys);
        var dataDir = Path.Combine(dir, "data");
        var catalog = new ElectionCatalog(election, publicKeys);

        // Every station's protocols (one version each) and turnout reports, interleaved.
        var random = new Random(1);
        var work = election.Stations.SelectMany(s => s.Constituencies.Select(kv => new LoadItem(s.Id, "protocols", StationClient.Serialize(
                ProtocolFactory.Protocol(random, $"{s.Id}-{kv.Key}", kv.Key, s.VotersOnList, 0.6, catalog.FindConstituency(kv.Key, kv.Value)!.Candidates))))
            .Append(new LoadItem(s.Id, "turnout", StationClient.Serialize(ProtocolFactory.Turnout($"{s.Id}-t", election.PollsClose, s.VotersOnList / 2, null)))))
            .OrderBy(_ => random.Next()).ToList();

        var acked = new ConcurrentBag<(LoadItem Item, long Seq, string Hash)>();
        await using (var portal = await CrashHostProcess.StartAsync(electionFile, keysFile, dataDir, election.PollsClose.AddHours(1)))
        {
            using var http = new HttpClient { BaseAddress = portal.Url, Timeout = TimeSpan.FromSeconds(30) };
            var client = new StationClient(http, StationClient.Index(privateKeys));
            var next = -1;
            var flood = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < work.Count)
                {
                    try
                    {
                        using var response = await client.PostAsync(work[i].StationId, work[i].Kind, work[i].Body);
                        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                        {
                            var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
                            acked.Add((work[i], receipt.GetProperty("ledgerSeq").GetInt64(), receipt.GetProperty("entryHash").GetString()!));
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        return; // the process died under us: exactly what the test is about
                    }
                }
            })).ToList();
            // Kill mid-flood: once a good share is acknowledged and requests are still in flight.
            await Wait.UntilAsync(() => Task.FromResult(acked.Count >= work.Count / 3), "a third of the flood acknowledged", TimeSpan.FromSeconds(180));
            portal.Kill();
            await Task.WhenAll(flood);
            Assert.True(acked.Count < work.Count, "the kill came before the flood ended");
        }

        await using (var portal = await CrashHostProcess.StartAsync(electionFile, keysFile, dataDir, election.PollsClose.AddHours(1)))
        {
            using var http = new HttpClient { BaseAddress = portal.Url, Timeout = TimeSpan.FromSeconds(60) };
            var entries = new List<LedgerEntryDto>();
            for (long after = 0; ;)
            {
                var page = await http.GetFromJsonAsync<LedgerPageDto>($"/api/v1/ledger?after={after}&limit=1000", IngestJson.Options, Ct);
                if (page!.Entries.Count == 0) break;
                entries.AddRange(page.Entries);
                after = page.Entries[^1].Seq;
            }
            var bySeq = entries.ToDictionary(e => e.Seq);
            foreach (var (item, seq, hash) in acked)
            {
                Assert.True(bySeq.TryGetValue(seq, out var entry), $"acknowledged entry {seq} is missing after the crash");
                Assert.Equal(hash, entry.Hash);
                Assert.Equal(Convert.ToBase64String(item.Body), entry.Request!.Body);
            }
            var verification = await new LedgerVerifier(http).VerifyAsync(Ct);
            Assert.True(verification.Ok, verification.ToString());

            // Totals equal the sum of the stored protocols exactly.
            var stored = entries.Where(e => e.Kind == "protocol").Select(e => JsonDocument.Parse(e.Payload).RootElement).ToList();
            await Wait.UntilAsync(async () =>
            {
                var summary = await http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{election.Id}", Ct);
                return summary.GetProperty("contests").EnumerateArray().All(c =>
                {
                    var mine = stored.Where(p => p.GetProperty("contestId").GetString() == c.GetProperty("id").GetString()).ToList();
                    var totals = c.GetProperty("results").GetProperty("totals");
                    var votes = mine.SelectMany(p => p.GetProperty("candidateVotes").EnumerateObject()).GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.Sum(v => (long)v.Value.GetInt32()));
                    return totals.GetProperty("ballotsInBoxes").GetInt64() == mine.Sum(p => (long)p.GetProperty("ballotsInBoxes").GetInt32()) &&
                           totals.GetProperty("votersIssuedBallots").GetInt64() == mine.Sum(p => (long)p.GetProperty("votersIssuedBallots").GetInt32()) &&
                           votes.All(v => totals.GetProperty("candidateVotes").GetProperty(v.Key).GetInt64() == v.Value);
                });
            }, "national totals equal to the sum of the stored protocols", TimeSpan.FromSeconds(120));
        }
    }

    /// <summary>The crash host as a child process; always killed on dispose.</summary>
    private sealed class CrashHostProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private CrashHostProcess(Process process, Uri url) => (_process, Url) = (process, url);

        public Uri Url { get; }

        public static async Task<CrashHostProcess> StartAsync(string election, string keys, string dataDir, DateTimeOffset electionNow)
        {
            var testDir = AppContext.BaseDirectory; // tests/Ingest.Tests/bin/{Configuration}/net10.0/
            var config = new DirectoryInfo(testDir.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var dll = Path.GetFullPath(Path.Combine(testDir, "..", "..", "..", "..", "Ingest.CrashHost", "bin", config, "net10.0", "Portal.Ingest.CrashHost.dll"));
            Assert.True(File.Exists(dll), $"the crash host is not built: {dll}");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { dll, "--election", election, "--station-keys", keys, "--data-dir", dataDir, "--election-now", electionNow.ToString("O") })
                info.ArgumentList.Add(a);
            var process = Process.Start(info)!;
            var started = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) => { if (e.Data?.StartsWith("LISTENING ", StringComparison.Ordinal) == true) started.TrySetResult(new Uri(e.Data[10..])); };
            process.Exited += (_, _) => started.TrySetException(new InvalidOperationException($"the crash host exited with {process.ExitCode}"));
            process.EnableRaisingEvents = true;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                return new CrashHostProcess(process, await started.Task.WaitAsync(TimeSpan.FromSeconds(120)));
            }
            catch
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.Dispose();
                throw;
            }
        }

        /// <summary>SIGKILL: no shutdown hooks, no flush.</summary>
        public void Kill()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public ValueTask DisposeAsync()
        {
            Kill();
            _process.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
