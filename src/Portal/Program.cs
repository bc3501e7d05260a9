using Portal.Extensions;
using Portal.Grains.Model;
using Portal.Hosting;
using Portal.Ingest.Apis;
using Portal.Ingest.Extensions;
using Portal.StreamGateway.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddPortalLogging();
try
{
    builder.AddElection();
}
catch (DefinitionException e)
{
    StartupErrors.Print(e);
    return StartupErrors.InvalidDefinitionExitCode;
}
builder.AddPortalSilo();
builder.AddPortalWeb();
builder.AddStationApi();
builder.AddStreamGateway();
builder.AddPublicWeb();

var app = builder.Build();
app.UsePortalWeb();
app.UsePublicWeb();
app.MapPortalHealthAndMetrics();
app.MapStationApi();
app.MapPublicReadApi();
app.MapHlsOrigin();
app.MapLiveHub();
app.MapPortalPages();
app.Run();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
