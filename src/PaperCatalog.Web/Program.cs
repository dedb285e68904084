using PaperCatalog.Web.Api;
using PaperCatalog.Web.Citations;
using PaperCatalog.Web.Crawlers;
using PaperCatalog.Web.Feeds;
using PaperCatalog.Web.Hosting;
using PaperCatalog.Web.Media;
using PaperCatalog.Web.Search;
using PaperCatalog.Web.Submissions;

var builder = WebApplication.CreateBuilder(args);

// Behind a reverse proxy: forwarded headers from trusted proxies only, allowed hosts, the public base URL.
builder.AddProxySupport();
// The catalog: SQLite store, queries and importer, with paths resolved against the repository (or publish folder).
builder.AddCatalog();
// Pages, antiforgery and the top-level wwwroot as the web root.
builder.AddSite();
// Submissions and moderation: cookie sign-in over revocable sessions, request size limits, persisted keys.
builder.AddModeration();
// Per-client allowances for posts and for the expensive public reads, attached to their endpoints.
builder.AddRateLimits();
// /healthz: the store is readable and its migrations are current.
builder.AddHealth();
// Output cache (evicted on every write, here or in another process), ETags and 304s, br/gzip.
builder.AddPageCaching();
// How many addresses one sitemap file holds before /sitemap.xml becomes an index.
builder.AddCrawlerFiles();
// The JSON API's OpenAPI description.
builder.AddCatalogApi();
// Semantic search and related papers: an embedding model in the process, vectors filled in the background (Semantic:Enabled).
builder.AddSemanticSearch();

var app = builder.Build();

// The client's own address and scheme (from a trusted proxy), then the Host header checked.
app.UseProxySupport();
// Content-Security-Policy and the other protective headers on every response, error pages included.
app.UseSecurityHeaders();
// Anonymous readers' public pages from memory, before the error pages, routing, sign-in and rate limits (moderators and
// private pages pass by).
app.UseFrontCache();
// Friendly error and 404 pages; never a stack trace outside Development.
app.UseSiteErrorPages();
// Only POSTs carry forms, and only in UTF-8; other methods' bodies are never parsed as one.
app.UseFormsOnlyOnPost();
// Static assets from the top-level wwwroot.
app.UseSiteStaticFiles();
// Migrations and, on first start, the bundled import, run beside the rest of start-up; requests wait for them.
app.UsePreparedCatalog();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
// Public answers from memory, with ETags and compression; moderators and private pages bypass it.
app.UsePageCaching();
app.UseAntiforgery();

// Health of the store, for the operator's monitoring and the load balancer.
app.MapHealth();
// Images beside intros, served from the store.
app.MapPaperMedia();
// Search results as JSON (the /search page is a Razor page).
app.MapSearchApi();
// Papers, topics and keywords as JSON, and the API's OpenAPI description at /openapi/v1.json.
app.MapCatalogApi();
// Duplicate checks while a submitter types.
app.MapSubmissionApi();
// Citations (BibTeX, RIS, CSL-JSON) of a paper, a topic, a keyword, a search and the whole catalog.
app.MapCitations();
// Atom feeds of new and updated papers: site-wide, per topic, keyword and search.
app.MapFeeds();
// sitemap.xml, robots.txt and the OpenSearch description.
app.MapCrawlerFiles();
// The pages: home, topics, papers, keywords, search.
app.MapRazorPages();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
