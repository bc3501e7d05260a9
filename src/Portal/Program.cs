using Portal.Apis;
using Portal.Extensions;
using Portal.Grains.Model;
using Portal.Hosting;
using Portal.Ingest.Apis;
using Portal.Ingest.Extensions;
using Portal.Ingest.Search;
using Portal.Ops;
using Portal.Search;
using Portal.Search.Apis;
using Portal.Search.Extensions;
using Portal.StreamGateway.Extensions;

if (args is ["hash-password", ..]) return OpsPasswords.RunHashPasswordCommand(args, Console.In, Console.Out, Console.Error);
if (args is [DemoFilesCommand.Name, ..]) return DemoFilesCommand.Run(args, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);
builder.AddPortalLogging();
HostingPlan plan;
try
{
    plan = HostingPlan.For(builder);
    builder.AddElection();
}
catch (HostingPlanException e)
{
    StartupErrors.Print(e);
    return StartupErrors.InvalidConfigurationExitCode;
}
catch (DefinitionException e)
{
    StartupErrors.Print(e);
    return StartupErrors.InvalidDefinitionExitCode;
}
builder.AddPortalSilo();
builder.AddPortalWeb();
builder.AddPublicWeb();
builder.AddStationApi();
builder.AddPublicReadApi();
builder.AddStationSimulator();
// One station simulator for the whole cluster, taken over by another node when its node dies.
builder.RunOnOneNode<Portal.Ingest.Simulation.StationSimulator>();
try
{
    builder.AddSearch();
}
catch (SearchConfigurationException e)
{
    StartupErrors.Print(e);
    return StartupErrors.InvalidConfigurationExitCode;
}
builder.AddElectionSearchSource(demoDecisions: PortalOptions.From(builder.Configuration).IsDemo);
builder.AddStreamGateway();
builder.AddOps();
builder.AddClusterConsistency();
builder.AddApiDocument();

var app = builder.Build();
app.UsePortalWeb();
app.UsePublicWeb();
app.MapPortalHealthAndMetrics();
app.MapHlsOrigin();
if (plan.ServesWeb)
{
    app.MapStationApi();
    app.MapPublicReadApi();
    app.MapCountingApi();
    app.MapSearchApi();
    app.MapApiDocument();
    app.MapLiveHub();
    app.MapFeeds();
    app.MapPageFragments();
    app.MapOps();
    app.MapPortalPages();
}
app.Run();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
