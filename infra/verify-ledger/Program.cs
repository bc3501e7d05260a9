using Portal.Ingest.Verification;

// verify-ledger --url http://127.0.0.1:5000 : downloads the chain and the public keys, recomputes every hash,
// verifies every station signature; prints OK or the first bad entry. Exit 0 = OK, 1 = bad chain, 2 = could not check.
var url = args.SkipWhile(a => a != "--url").Skip(1).FirstOrDefault();
if (url is null)
{
    Console.Error.WriteLine("usage: verify-ledger --url <portal base url>");
    return 2;
}
try
{
    using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
    var result = await new LedgerVerifier(http).VerifyAsync();
    Console.WriteLine(result);
    return result.Ok ? 0 : 1;
}
catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or UriFormatException)
{
    Console.Error.WriteLine($"could not verify: {e.Message}");
    return 2;
}
