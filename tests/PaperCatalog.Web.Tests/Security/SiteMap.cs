using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace PaperCatalog.Web.Tests.Security;

/// <summary>A route the app maps, read from its EndpointDataSource (so new pages and endpoints are found without a test change).</summary>
public sealed record SiteRoute(string Template, IReadOnlyList<string> Methods, Regex Matcher)
{
    /// <summary>The route with every parameter set to <paramref name="value"/>.</summary>
    public string Fill(string value) =>
        "/" + string.Join('/', Pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart l => l.Content,
            RoutePatternSeparatorPart sep => sep.Content,
            RoutePatternParameterPart => value,
            _ => "",
        }))));

    public RoutePattern Pattern { get; init; } = null!;
}

public sealed record FormField(string Name, string Kind, string Value, IReadOnlyList<string> Options);

/// <summary>A form found on a served page: where it goes, how, and its named fields (with their served values).</summary>
public sealed record FormSpec(string Page, string Action, string Method, string Enctype, IReadOnlyList<FormField> Fields)
{
    public const string TokenField = "__RequestVerificationToken";
    public bool IsPost => Method.Equals("post", StringComparison.OrdinalIgnoreCase);
    public override string ToString() => $"{Method.ToUpperInvariant()} {Action} (from {Page}; {string.Join(", ", Fields.Select(f => f.Name))})";
}

public static class SiteMap
{
    public static IReadOnlyList<SiteRoute> Routes(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Template: "/" + (e.RoutePattern.RawText ?? "").TrimStart('/')))
            .GroupBy(x => x.Template, StringComparer.OrdinalIgnoreCase)
            .Select(g => new SiteRoute(g.Key,
                g.SelectMany(x => x.Endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"]).Distinct().ToList(),
                MatcherOf(g.First().Endpoint.RoutePattern)) { Pattern = g.First().Endpoint.RoutePattern })
            .ToList();

    private static Regex MatcherOf(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart l => Regex.Escape(l.Content),
            RoutePatternSeparatorPart sep => Regex.Escape(sep.Content),
            RoutePatternParameterPart { IsCatchAll: true } => ".+",
            RoutePatternParameterPart => "[^/]+",
            _ => "",
        })));
        return new Regex("^/" + string.Join('/', segments) + "/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>
    /// Same-origin pages reachable from "/", breadth first (query strings kept once per path), plus one URL for every
    /// route that the links never reached (parameters filled with a value taken from a reached URL, else "x"). A
    /// route the crawl already asked and that answered something else than HTML (a feed, a download) is not added.
    /// </summary>
    public static async Task<List<string>> CrawlAsync(HttpClient client, IServiceProvider services, int limit = 80)
    {
        var routes = Routes(services);
        var seen = new HashSet<string>(StringComparer.Ordinal) { "/" };
        var seenPaths = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "/" };
        var queue = new Queue<string>(["/"]);
        foreach (var route in routes.Where(r => r.Pattern.Parameters.Count == 0 && r.Methods.Contains("GET")))
            if (seen.Add(route.Template)) { seenPaths.Add(route.Template); queue.Enqueue(route.Template); }
        var pages = new List<string>();
        // Everything asked for, pages or not: a route that answered a feed or a download is covered (and a browser would
        // download it rather than show it).
        var fetched = new List<string>();
        while (queue.Count > 0 && pages.Count < limit)
        {
            var url = queue.Dequeue();
            var response = await client.GetAsync(url);
            fetched.Add(url);
            if (response.Content.Headers.ContentType?.MediaType != "text/html") continue;
            pages.Add(url);
            var doc = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
            foreach (var href in doc.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!))
            {
                if (!href.StartsWith('/') || href.StartsWith("//", StringComparison.Ordinal)) continue;
                var target = href.Split('#')[0];
                var path = target.Split('?')[0];
                if (target.Length == 0 || !seenPaths.Add(path) && target == path) continue;
                if (target != path && !seen.Add(target)) continue;
                seen.Add(target);
                queue.Enqueue(target);
            }
        }
        foreach (var route in routes.Where(r => r.Methods.Contains("GET")))
        {
            if (fetched.Any(p => route.Matcher.IsMatch(p.Split('?')[0]))) continue;
            pages.Add(route.Fill("x"));
        }
        return pages;
    }

    /// <summary>Every form on the given pages (GET each page with <paramref name="client"/>, which keeps its cookies).</summary>
    public static async Task<List<FormSpec>> FormsAsync(HttpClient client, IEnumerable<string> pages)
    {
        var forms = new List<FormSpec>();
        var keys = new HashSet<string>();
        foreach (var page in pages)
        {
            var response = await client.GetAsync(page);
            if (response.Content.Headers.ContentType?.MediaType != "text/html") continue;
            var doc = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
            foreach (var form in FormsOf(doc, page))
            {
                var key = form.Method + " " + form.Action + " " + string.Join(",", form.Fields.Select(f => f.Name));
                if (keys.Add(key)) forms.Add(form);
            }
        }
        return forms;
    }

    public static IEnumerable<FormSpec> FormsOf(IDocument doc, string page)
    {
        foreach (var form in doc.QuerySelectorAll("form"))
        {
            var action = form.GetAttribute("action");
            if (string.IsNullOrEmpty(action)) action = page;
            if (!action.StartsWith('/')) continue; // only forms that post to this site
            var fields = new List<FormField>();
            foreach (var field in form.QuerySelectorAll("input[name], textarea[name], select[name], button[name]"))
            {
                var name = field.GetAttribute("name")!;
                switch (field.LocalName)
                {
                    case "textarea":
                        fields.Add(new(name, "textarea", field.TextContent, []));
                        break;
                    case "select":
                        var options = field.QuerySelectorAll("option").Select(o => o.GetAttribute("value") ?? o.TextContent).ToList();
                        fields.Add(new(name, "select", options.FirstOrDefault() ?? "", options));
                        break;
                    case "button":
                        fields.Add(new(name, "submit", field.GetAttribute("value") ?? "", []));
                        break;
                    default:
                        var type = (field.GetAttribute("type") ?? "text").ToLowerInvariant();
                        fields.Add(new(name, type, field.GetAttribute("value") ?? (type is "checkbox" or "radio" ? "on" : ""), []));
                        break;
                }
            }
            var spec = new FormSpec(page, action, form.GetAttribute("method") ?? "get", form.GetAttribute("enctype") ?? "application/x-www-form-urlencoded", fields);
            yield return spec;
            // A button with its own formaction (a Razor page handler: Preview, Approve, Reject, Delete) is a form of its own.
            foreach (var formAction in form.QuerySelectorAll("button[formaction], input[type=submit][formaction]").Select(b => b.GetAttribute("formaction")!).Distinct())
            {
                var target = formAction.StartsWith('?') ? action.Split('?')[0] + formAction : formAction;
                if (target.StartsWith('/') && target != action) yield return spec with { Action = target };
            }
        }
    }

    /// <summary>
    /// A request that submits <paramref name="form"/> with every field (the antiforgery token excepted, unless
    /// <paramref name="keepToken"/> is false) set by <paramref name="value"/>.
    /// </summary>
    public static HttpRequestMessage Submit(FormSpec form, Func<FormField, string> value, bool keepToken = true)
    {
        var pairs = form.Fields
            .Select(f => new KeyValuePair<string, string>(f.Name, f.Name == FormSpec.TokenField && keepToken ? f.Value : value(f)))
            .ToList();
        if (!form.IsPost)
        {
            var query = string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            return new HttpRequestMessage(HttpMethod.Get, form.Action.Split('?')[0] + "?" + query);
        }
        var request = new HttpRequestMessage(HttpMethod.Post, form.Action);
        if (form.Enctype.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (field, pair) in form.Fields.Zip(pairs))
            {
                if (field.Kind == "file")
                {
                    // The value is the file's content and (clipped) its name; the name travels as filename* (RFC 5987), which
                    // carries any character, so a hostile name reaches the server instead of failing in the client.
                    var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(pair.Value));
                    file.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("form-data")
                    {
                        Name = "\"" + pair.Key + "\"",
                        FileNameStar = pair.Value.Length > 0 ? pair.Value[..Math.Min(pair.Value.Length, 100)] : "x.txt",
                    };
                    multipart.Add(file);
                }
                else multipart.Add(new StringContent(pair.Value), pair.Key);
            }
            request.Content = multipart;
        }
        else
        {
            request.Content = new FormUrlEncodedContent(pairs);
        }
        return request;
    }
}
