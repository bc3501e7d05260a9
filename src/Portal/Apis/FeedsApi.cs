using System.Globalization;
using System.Xml;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Portal.Components.Shared;
using Portal.Extensions;
using Portal.Grains.Abstractions;
using Portal.Grains.Model;
using Portal.Ingest.Decisions;
using Portal.Localization;

namespace Portal.Apis;

/// <summary>
/// Following without an account: Atom feeds of the published decisions and of one station's public events, and the
/// sitemap of the public pages (contract section 5). Nothing a page does not show: no figure of a protocol before close,
/// no camera source.
/// </summary>
public static class FeedsApi
{
    private const string AtomNs = "http://www.w3.org/2005/Atom";
    private const int MaxEntries = 200;

    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder app)
    {
        app.MapGet("/feeds/decisions.atom", DecisionsAsync);
        app.MapGet("/stations/{stationId}/feed.atom", StationAsync);
        app.MapGet("/sitemap.xml", Sitemap);
        return app;
    }

    private static async Task<IResult> DecisionsAsync(IDecisionArchive archive, ElectionCatalog catalog, IOptions<PublicWebOptions> web, IStringLocalizer<Strings> l,
        CancellationToken cancellationToken)
    {
        var decisions = (await archive.ListAsync(cancellationToken)).OrderByDescending(d => d.Date).ThenBy(d => d.Id, StringComparer.Ordinal).Take(MaxEntries).ToList();
        var origin = Origin(web.Value);
        var feedLanguage = PortalCultures.HtmlLang(CultureInfo.CurrentUICulture);
        var entries = decisions.Select(d =>
        {
            // As on the decision's page: the text in the language it has, marked where that is not the feed's.
            var (title, language) = Names.Text(d.Title);
            return new Entry(
                $"urn:election:{catalog.Election.Id}:decision:{d.Id}", $"{d.Number} · {title}",
                new DateTimeOffset(d.Date.ToDateTime(TimeOnly.MinValue), catalog.TimeZone.GetUtcOffset(d.Date.ToDateTime(TimeOnly.MinValue))),
                origin + "/decisions/" + Uri.EscapeDataString(d.Id), Names.Text(d.Body).Text, language == feedLanguage ? null : language);
        }).ToList();
        return Atom($"urn:election:{catalog.Election.Id}:decisions", Names.Pick(catalog.Election.Name), origin + "/feeds/decisions.atom", origin + "/", entries,
            l["Feed.Author"]);
    }

    private static async Task<IResult> StationAsync(string stationId, IGrainFactory grains, ElectionCatalog catalog, ElectionClock clock, IOptions<PublicWebOptions> web,
        IStringLocalizer<Strings> l)
    {
        if (catalog.FindStation(stationId) is not { } station)
            return Results.NotFound(new { errors = new[] { new { field = "stationId", code = "not_found", message = $"no station \"{stationId}\" in this election" } } });
        var details = await grains.GetGrain<IPollingStationGrain>(GrainKeys.Station(catalog.Election.Id, stationId)).GetDetailsAsync();
        var origin = Origin(web.Value);
        var page = origin + "/stations/" + Uri.EscapeDataString(stationId);
        var id = $"urn:election:{catalog.Election.Id}:station:{stationId}";
        var entries = new List<Entry>();
        // The feed's words are the page's, in the request's language (?lang=, as on the pages).
        string N(long n) => n.ToString(CultureInfo.InvariantCulture);
        foreach (var t in details.Turnout)
            entries.Add(new(id + ":turnout:" + t.LedgerSeq, l["Feed.Turnout", N(t.VotersIssuedBallots)], t.AsOf, page,
                l["Feed.TurnoutBody", N(t.VotersIssuedBallots), N(t.VotersOnList ?? station.VotersOnList), t.EntryHash]));
        // A protocol's existence is public at once; its figures only after close (Art. 103), on the page.
        foreach (var p in details.Protocols)
        {
            var contest = catalog.FindContest(p.ContestId) is { } c ? Names.Pick(c.Name) : p.ContestId;
            entries.Add(new(id + ":protocol:" + p.LedgerSeq, p.Version > 1 ? l["Feed.ProtocolCorrected", contest, p.Version] : l["Feed.ProtocolReceived", contest],
                p.ReceivedAt, page, p.Reason is { Length: > 0 } reason ? l["Feed.Reason", Words.CorrectionReason(l, reason)] : l["Feed.Entry", p.EntryHash]));
        }
        foreach (var i in details.Invalidations)
        {
            var contest = catalog.FindContest(i.ContestId) is { } c ? Names.Pick(c.Name) : i.ContestId;
            entries.Add(new(id + ":decision:" + i.LedgerSeq, l[i.Invalidated ? "Feed.Invalidated" : "Feed.Reinstated", contest, i.DecisionId],
                catalog.Election.PollsClose, origin + "/decisions/" + Uri.EscapeDataString(i.DecisionId), i.Reason));
        }
        foreach (var camera in details.Info.Cameras.Where(c => c.Enabled))
        {
            var status = await grains.GetGrain<ICameraGrain>(camera.Id).GetStatusAsync();
            foreach (var change in status.History.TakeLast(50))
            {
                var at = clock.ElectionTimeOf(change.At);
                entries.Add(new($"{id}:camera:{camera.Id}:{change.At.ToUnixTimeMilliseconds()}",
                    l["Feed.Camera", camera.Id, Words.Camera(l, change.State)], at, page, ""));
            }
        }
        var ordered = entries.OrderByDescending(e => e.Updated).Take(MaxEntries).ToList();
        return Atom(id, l["Station.Title", station.Number], page + "/feed.atom", page, ordered, l["Feed.Author"]);
    }

    private static IResult Sitemap(ElectionCatalog catalog, IOptions<PublicWebOptions> web)
    {
        var origin = Origin(web.Value);
        var paths = new List<string> { "/", "/search", "/data", "/about", "/statistics", "/cameras", "/watch" };
        paths.AddRange(catalog.Election.Regions.Select(r => "/regions/" + Uri.EscapeDataString(r.Id)));
        paths.AddRange(catalog.Election.Contests.SelectMany(c => c.Constituencies.Select(k => $"/contests/{Uri.EscapeDataString(c.Id)}/constituencies/{Uri.EscapeDataString(k.Id)}")));
        paths.AddRange(catalog.Stations.Select(s => "/stations/" + Uri.EscapeDataString(s.Id)));
        return Xml("application/xml; charset=utf-8", xml =>
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("urlset", "http://www.sitemaps.org/schemas/sitemap/0.9");
            // A sitemap holds at most 50,000 addresses; a national election has fewer public pages than that.
            foreach (var path in paths.Take(50_000))
            {
                xml.WriteStartElement("url");
                xml.WriteElementString("loc", origin + path);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        });
    }

    /// <summary>One entry; <paramref name="Language"/> (xml:lang) where its text is not in the feed's language.</summary>
    private sealed record Entry(string Id, string Title, DateTimeOffset Updated, string Link, string Summary, string? Language = null);

    private static IResult Atom(string id, string title, string self, string alternate, IReadOnlyList<Entry> entries, string author) => Xml("application/atom+xml; charset=utf-8", xml =>
    {
        xml.WriteStartDocument();
        xml.WriteStartElement("feed", AtomNs);
        xml.WriteAttributeString("xml", "lang", null, PortalCultures.HtmlLang(CultureInfo.CurrentUICulture));
        xml.WriteElementString("id", AtomNs, id);
        xml.WriteElementString("title", AtomNs, title);
        xml.WriteElementString("updated", AtomNs, Time(entries.Count > 0 ? entries.Max(e => e.Updated) : DateTimeOffset.UnixEpoch));
        Link(xml, "self", self);
        Link(xml, "alternate", alternate);
        xml.WriteStartElement("author", AtomNs);
        xml.WriteElementString("name", AtomNs, author);
        xml.WriteEndElement();
        foreach (var e in entries)
        {
            xml.WriteStartElement("entry", AtomNs);
            if (e.Language is not null) xml.WriteAttributeString("xml", "lang", null, e.Language);
            xml.WriteElementString("id", AtomNs, e.Id);
            xml.WriteElementString("title", AtomNs, e.Title);
            xml.WriteElementString("updated", AtomNs, Time(e.Updated));
            Link(xml, "alternate", e.Link);
            if (e.Summary.Length > 0) xml.WriteElementString("summary", AtomNs, e.Summary);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    });

    // Written to memory, then sent: a feed is at most a few hundred entries, and XmlWriter's own writes are synchronous.
    private static IResult Xml(string contentType, Action<XmlWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Indent = false, Encoding = new System.Text.UTF8Encoding(false) })) write(xml);
        return Results.Bytes(buffer.ToArray(), contentType);
    }

    private static void Link(XmlWriter xml, string rel, string href)
    {
        xml.WriteStartElement("link", AtomNs);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    // Never the Host header (a cached feed would carry whatever a request claimed): the configured origin, else relative.
    private static string Origin(PublicWebOptions web) => string.IsNullOrEmpty(web.PublicOrigin) ? "" : web.PublicOrigin.TrimEnd('/');
}
