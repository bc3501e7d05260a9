using System.Security.Cryptography;
using Portal.Grains.Demo;
using Portal.Grains.Model;

namespace Portal.Grains.Tests;

public sealed class StationKeyFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WrittenKeysReadBackAndVerifyTheirSignatures()
    {
        var election = DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = 5 });
        var (publicKeys, privateKeys) = TestElections.Keys(election);
        var publicPath = Path.Combine(_dir, "public.csv");
        var privatePath = Path.Combine(_dir, "private.csv");
        StationKeyFiles.WritePublic(publicPath, publicKeys);
        StationKeyFiles.WritePrivate(privatePath, privateKeys);

        Assert.StartsWith(StationKeyFiles.PublicHeader, File.ReadLines(publicPath).First());
        var readPublic = StationKeyFiles.ReadPublic(publicPath, election.Stations.Select(s => s.Id).ToHashSet());
        var readPrivate = StationKeyFiles.ReadPrivate(privatePath);
        Assert.Equal(5, readPublic.Count);

        using var signer = ECDsa.Create();
        signer.ImportPkcs8PrivateKey(readPrivate[2].Pkcs8, out _);
        var signature = signer.SignData("hello"u8, HashAlgorithmName.SHA256);
        using var verifier = readPublic.Single(k => k.KeyId == readPrivate[2].KeyId).CreateVerifier();
        Assert.True(verifier.VerifyData("hello"u8, signature, HashAlgorithmName.SHA256));
    }

    [Fact]
    public void MalformedKeysAreRefusedNamingTheLine()
    {
        using var rsa = RSA.Create(2048);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var good = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = Path.Combine(_dir, "bad.csv");
        File.WriteAllLines(path,
        [
            StationKeyFiles.PublicHeader,
            "1-0001,k1,not-base64!",
            $"1-0002,k2,{Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())}",
            $"1-0003,k3,{Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo())}",
            $"1-0004,k4,{Convert.ToBase64String(good.ExportSubjectPublicKeyInfo())}",
            $"9-9999,k5,{Convert.ToBase64String(good.ExportSubjectPublicKeyInfo())}",
            $"1-0004,k4,{Convert.ToBase64String(good.ExportSubjectPublicKeyInfo())}",
        ]);
        var refused = Assert.Throws<DefinitionException>(() => StationKeyFiles.ReadPublic(path, new HashSet<string> { "1-0001", "1-0002", "1-0003", "1-0004" }));
        var paths = refused.Errors.Select(e => e.Path).ToList();
        Assert.Contains("bad.csv:2.publicKey", paths);
        Assert.Contains("bad.csv:3.publicKey", paths);
        Assert.Contains("bad.csv:4.publicKey", paths);
        Assert.Contains("bad.csv:6.stationId", paths);
        Assert.Contains("bad.csv:7.keyId", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("bad.csv:5", StringComparison.Ordinal));
    }
}
