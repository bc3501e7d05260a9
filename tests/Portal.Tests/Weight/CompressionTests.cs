using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains.Model;

namespace Portal.Tests.Weight;

/// <summary>
/// What a phone downloads: pages and JSON compressed per response, static files from their Brotli/gzip copies (really
/// compressed, not labelled so), under fingerprinted names cached for a year.
/// </summary>
public sealed partial class CompressionTests(PortalHostFactory factory) : IClassFixture<PortalHostFactory>
{
    private static string HlsJs => Path.Combine(RepositoryRoot, "src", "Portal", "wwwroot", "lib", "hls", "hls.min.js");

    private static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Portal.sln not found");
        }
    }

    private async Task<(HttpResponseMessage Response, byte[] Body)> GetAsync(string url, string encoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        var response = await factory.CreateClient().SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    private static byte[] Decode(byte[] body, string encoding)
    {
        using Stream decoder = encoding == "br" ? new BrotliStream(new MemoryStream(body), CompressionMode.Decompress) : new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        decoder.CopyTo(plain);
        return plain.ToArray();
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task HlsJsArrivesCompressedToUnderAThirdOfItsSize(string encoding)
    {
        if (!File.Exists(HlsJs)) Assert.Fail($"The front-end libraries are missing ({HlsJs}): run `npm ci && npm run build` first.");
        var original = await File.ReadAllBytesAsync(HlsJs);
        var (response, body) = await GetAsync("/lib/hls/hls.min.js", encoding);
        response.EnsureSuccessStatusCode();
        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
        Assert.True(body.Length < original.Length / 3, $"{body.Length} bytes sent for a {original.Length}-byte file");
        Assert.Equal(original, Decode(body, encoding));
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task AStationPageArrivesCompressedWithFingerprintedScriptsCachedForAYear(string encoding)
    {
        var station = factory.Services.GetRequiredService<ElectionCatalog>().Election.Stations[0];
        var (plain, plainBody) = await GetAsync($"/stations/{station.Id}", "identity");
        var (response, body) = await GetAsync($"/stations/{station.Id}", encoding);
        response.EnsureSuccessStatusCode();
        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.True(body.Length < plainBody.Length * 3 / 4, $"{body.Length} bytes compressed against {plainBody.Length}");
        var html = System.Text.Encoding.UTF8.GetString(Decode(body, encoding));
        Assert.Contains($"/stations/{station.Id}", html);

        var scripts = FingerprintedScript().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(scripts, s => s.StartsWith("js/live.", StringComparison.Ordinal));
        foreach (var script in scripts)
        {
            var (asset, assetBody) = await GetAsync("/" + script, encoding);
            asset.EnsureSuccessStatusCode();
            Assert.Equal([encoding], asset.Content.Headers.ContentEncoding);
            Assert.True(asset.Headers.CacheControl is { MaxAge.TotalDays: >= 365 } && asset.Headers.CacheControl.Extensions.Any(e => e.Name == "immutable"),
                $"{script}: Cache-Control {asset.Headers.CacheControl}");
            Assert.NotEmpty(Decode(assetBody, encoding));
        }
    }

    [Fact]
    public async Task ElectionJsonArrivesCompressed()
    {
        var electionId = factory.Services.GetRequiredService<ElectionCatalog>().Election.Id;
        var (response, body) = await GetAsync($"/api/v1/elections/{electionId}", "br");
        response.EnsureSuccessStatusCode();
        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        Assert.StartsWith("{", System.Text.Encoding.UTF8.GetString(Decode(body, "br")));
    }

    [GeneratedRegex("<script[^>]*src=\"((?:js|lib)/[^\"]+\\.[0-9a-z]{10}\\.js)\"")]
    private static partial Regex FingerprintedScript();
}
