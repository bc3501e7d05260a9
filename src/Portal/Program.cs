using Portal.Extensions;
using Portal.Grains.Model;
using Portal.Hosting;

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

var app = builder.Build();
app.UsePortalWeb();
app.MapPortalHealthAndMetrics();
app.MapPortalPages();
app.Run();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
