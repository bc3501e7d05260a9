using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Portal.Grains.Extensions;
using Portal.Grains.Ledger;
using Portal.Ingest.Ledger;
using Portal.Ingest.Stations;

namespace Portal.Ingest.Extensions;

public static class IngestExtensions
{
    /// <summary>
    /// The station API (section "Intake"), plus the election clock and the ledger store if not added yet
    /// (<see cref="ElectionServicesExtensions.AddElectionLedger"/>). Needs an ElectionCatalog singleton and an Orleans client/silo.
    /// </summary>
    public static IHostApplicationBuilder AddStationApi(this IHostApplicationBuilder builder)
    {
        if (!builder.Services.Any(d => d.ServiceType == typeof(ILedgerStore))) builder.AddElectionLedger();
        builder.Services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.Section)
            .Validate(o => o.MaxInFlight >= 1 && o.RetryAfterSeconds >= 1, "Intake:MaxInFlight and Intake:RetryAfterSeconds must be at least 1")
            .Validate(o => o.MaxInFlightPerKey >= 1 && o.BodyTimeoutSeconds >= 1 && o.MinBodyBytesPerSecond >= 1,
                "Intake:MaxInFlightPerKey, Intake:BodyTimeoutSeconds and Intake:MinBodyBytesPerSecond must be at least 1")
            // Kestrel requires the grace period to exceed its one-second heartbeat.
            .Validate(o => o.MinBodyRateGraceSeconds >= 2, "Intake:MinBodyRateGraceSeconds must be at least 2")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<StationKeyRegistry>();
        builder.Services.TryAddSingleton<StationIntake>();
        builder.Services.TryAddSingleton<StationKeyPreloader>();
        // The commission's ledger writes: the Portal's ops screens ask these, they never append themselves.
        builder.Services.TryAddSingleton<DecisionLedgerWriter>();
        builder.Services.TryAddSingleton<StationKeyLedgerWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StationKeyPreloader>());
        return builder;
    }
}

public static class SimulatorExtensions
{
    /// <summary>The station simulator (section "Simulator"); it runs only when Simulator:Enabled is true.</summary>
    public static IHostApplicationBuilder AddStationSimulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<Simulation.SimulatorOptions>().BindConfiguration(Simulation.SimulatorOptions.Section)
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.PrivateKeysPath), "Simulator:PrivateKeysPath is required when the simulator is enabled")
            .Validate(o => o.Mode is "demo" or "load", "Simulator:Mode must be demo or load")
            .Validate(o => o.Concurrency >= 1, "Simulator:Concurrency must be at least 1")
            .ValidateOnStart();
        if (builder.Configuration.GetValue<bool>($"{Simulation.SimulatorOptions.Section}:Enabled"))
            builder.Services.AddHostedService<Simulation.StationSimulator>();
        return builder;
    }
}
