using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains.Model;
using Portal.Ops;

namespace Portal.Tests.Ops;

/// <summary>What the authorization matrix knows of one mapped route: a concrete URL and who may call it.</summary>
public sealed record WalkedEndpoint(string Method, string Pattern, string Url, EndpointAccess Access, IReadOnlyList<string> Roles)
{
    public override string ToString() => $"{Method} {Pattern}";
}

public enum EndpointAccess
{
    /// <summary>Anonymous: anyone.</summary>
    Public,
    /// <summary>Only the listed ops roles.</summary>
    Ops,
    /// <summary>Station devices: a valid ECDSA signature, whatever cookie comes along.</summary>
    Station,
}

/// <summary>
/// Enumerates every route the running app maps (from the endpoint data source, so a new endpoint is walked without
/// anyone adding it here) and fills route parameters with real values of the test election. A parameter name this
/// table does not know fails the walk: whoever adds such a route must say what a valid value is.
/// </summary>
public static class EndpointWalk
{
    public static IReadOnlyList<WalkedEndpoint> Enumerate(IServiceProvider services, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var catalog = services.GetRequiredService<ElectionCatalog>();
        var station = catalog.Election.Stations.First(s => s.Cameras.Any(c => c.Enabled));
        var contest = catalog.Election.Contests[0];
        var samples = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["electionId"] = catalog.Election.Id,
            ["stationId"] = station.Id,
            ["contestId"] = contest.Id,
            ["id"] = station.Constituencies[contest.Id],
            ["constituencyId"] = station.Constituencies[contest.Id],
            ["regionId"] = station.RegionId,
            ["cameraId"] = station.Cameras[0].Id,
            ["segment"] = "000001.ts",
            ["path"] = $"{station.Cameras[0].Id}/live.m3u8",
            ["decisionId"] = "msk-1-son",
            ["documentName"] = Portal.Extensions.ApiDocumentExtensions.DocumentName,
            ["clipId"] = $"{station.Cameras[0].Id}.0800",
        };
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>()) samples[name] = value;
        var walked = new Dictionary<(string, string), WalkedEndpoint>();
        var unknown = new List<string>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : ["GET"];
            var url = Fill(endpoint.RoutePattern, samples, unknown, pattern);
            if (url is null) continue;
            var allowAnonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var authorize = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            foreach (var method in methods)
            {
                EndpointAccess access;
                IReadOnlyList<string> roles = [];
                if (pattern.StartsWith("/api/v1/stations/", StringComparison.Ordinal) && method == "POST") access = EndpointAccess.Station;
                else if (authorize.Count > 0 && !allowAnonymous)
                {
                    access = EndpointAccess.Ops;
                    roles = authorize.Select(a => a.Policy is null ? OpsRoles.All : OpsPolicies.RolesOf(a.Policy))
                        .Aggregate((IEnumerable<string>)OpsRoles.All, (acc, r) => acc.Intersect(r)).ToList();
                }
                else access = EndpointAccess.Public;
                walked.TryAdd((method, pattern), new WalkedEndpoint(method, pattern, url, access, roles));
            }
        }
        Assert.True(unknown.Count == 0, "routes with parameters the walk has no value for (add them to EndpointWalk): " + string.Join(", ", unknown.Distinct()));
        return [.. walked.Values.OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)];
    }

    private static string? Fill(RoutePattern pattern, Dictionary<string, string> samples, List<string> unknown, string raw)
    {
        var parts = new List<string>();
        foreach (var segment in pattern.PathSegments)
        {
            var text = "";
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal: text += literal.Content; break;
                    case RoutePatternSeparatorPart separator: text += separator.Content; break;
                    case RoutePatternParameterPart parameter:
                        if (samples.TryGetValue(parameter.Name, out var value)) text += value;
                        else if (parameter.IsOptional || parameter.Default is not null) { }
                        else { unknown.Add($"{raw} ({{{parameter.Name}}})"); return null; }
                        break;
                }
            }
            parts.Add(text);
        }
        return "/" + string.Join('/', parts.Where(p => p.Length > 0));
    }
}
