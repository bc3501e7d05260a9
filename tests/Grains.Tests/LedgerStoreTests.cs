using Microsoft.Extensions.Logging.Abstractions;
using Portal.Grains.Ledger;

namespace Portal.Grains.Tests;

public sealed class LedgerStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static LedgerAppend Append(int i) => new(LedgerKinds.Turnout, $"s{i % 17}", $"{{\"n\":{i}}}", DateTimeOffset.UtcNow,
        new SignedRequest($"k{i % 17}", 1_700_000_000 + i, "POST", $"/api/v1/stations/s{i % 17}/turnout", new string('a', 64), "c2ln", "e30="));

    internal static void AssertChain(IReadOnlyList<LedgerEntry> entries, int count)
    {
        Assert.Equal(count, entries.Count);
        var prev = LedgerHash.Genesis;
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(i + 1, entries[i].Seq);
            Assert.Equal(prev, entries[i].PrevHash);
            Assert.Equal(entries[i].ComputeHash(), entries[i].Hash);
            prev = entries[i].Hash;
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ConcurrentAppendsFormOneDurableChain(bool groupCommit)
    {
        using var temp = new TempDirectory("sqlite-ledger-");
        var path = Path.Combine(temp.Path, "ledger.db");
        const int count = 300;
        IReadOnlyList<LedgerEntry> acknowledged;
        await using (var store = new SqliteLedgerStore(path, groupCommit, 64, NullLogger<SqliteLedgerStore>.Instance))
        {
            acknowledged = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() => store.AppendAsync(Append(i), Ct), Ct)));
            Assert.Equal(count, acknowledged.Select(e => e.Seq).Distinct().Count());
        }
        await using (var reopened = new SqliteLedgerStore(path, groupCommit, 64, NullLogger<SqliteLedgerStore>.Instance))
        {
            var entries = await reopened.ReadAsync(0, 10_000, Ct);
            AssertChain(entries, count);
            Assert.All(acknowledged, a => Assert.Equal(a, entries[(int)a.Seq - 1]));
            var head = await reopened.GetHeadAsync(Ct);
            Assert.Equal((count, entries[^1].Hash), (head.Seq, head.Hash));
            var s3 = await reopened.ReadStationsAsync(["s3", "s5"], Ct);
            Assert.Equal(entries.Where(e => e.StationId is "s3" or "s5").Select(e => e.Seq), s3.Select(e => e.Seq));
            var next = await reopened.AppendAsync(Append(count), Ct);
            Assert.Equal((count + 1, head.Hash), (next.Seq, next.PrevHash));
        }
    }

    [Fact]
    public void HashCoversEveryField()
    {
        var entry = LedgerEntry.Create(1, LedgerHash.Genesis, Append(1));
        Assert.NotEqual(entry.Hash, (entry with { Payload = "{\"n\":2}" }).ComputeHash());
        Assert.NotEqual(entry.Hash, (entry with { StationId = "s9" }).ComputeHash());
        Assert.NotEqual(entry.Hash, (entry with { ReceivedAt = entry.ReceivedAt.AddTicks(1) }).ComputeHash());
        Assert.NotEqual(entry.Hash, (entry with { Request = entry.Request! with { Signature = "c2lo" } }).ComputeHash());
        Assert.NotEqual(entry.Hash, (entry with { Request = entry.Request! with { Body = "e31=" } }).ComputeHash());
        Assert.Equal(entry.Hash, entry.ComputeHash());
    }
}
