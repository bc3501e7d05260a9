using Portal.Grains.Model;

namespace Portal.StreamGateway.Tests;

/// <summary>The definition and the gateway accept exactly the same camera ids (one rule: <see cref="CameraIds"/>).</summary>
public sealed class CameraIdRuleTests
{
    public static TheoryData<string?, bool> Ids => new()
    {
        { "cam-1-0001-a", true },
        { "CAM_7", true },
        { "-leading-dash", true },
        { new string('a', CameraIds.MaxLength), true },
        { new string('a', CameraIds.MaxLength + 1), false },
        { "cam.1", false },
        { ".", false },
        { "..", false },
        { "a/b", false },
        { "a\\b", false },
        { "cam 1", false },
        { "kamera-ў", false },
        { "", false },
        { null, false },
    };

    [Theory]
    [MemberData(nameof(Ids))]
    public void DefinitionAndGatewayAgree(string? id, bool valid)
    {
        Assert.Equal(valid, CameraIds.IsValid(id));
        Assert.Equal(valid, CameraPaths.IsSafeCameraId(id));
    }

    [Fact]
    public void DefinitionWithADottedCameraIdIsRefusedNamingTheField()
    {
        var election = Portal.Grains.Demo.DemoElectionGenerator.Generate(new Portal.Grains.Demo.DemoElectionOptions { Seed = 3, Stations = 3, ActiveCameraStations = 1 });
        election.Stations[0].Cameras[0].Id = "cam.1";
        var errors = ElectionDefinitionValidator.Validate(election);
        Assert.Contains(errors, e => e.Path == "stations[0].cameras[0].id");
    }
}
