using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace PaperCatalog.Web.Hosting;

/// <summary>Pages, static files, error pages and protective headers.</summary>
public static class SiteHosting
{
    public static WebApplicationBuilder AddSite(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options =>
        {
            // Antiforgery on every POST, not only where a page remembers to ask for it; a form whose token was lost comes back filled in.
            // Razor Pages' own check (a blank 400 before binding) steps aside for it: the later-ordered policy wins.
            options.Conventions.ConfigureFilter(new Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryTokenAttribute { Order = 1001 });
            options.Conventions.ConfigureFilter(new Microsoft.AspNetCore.Mvc.TypeFilterAttribute(typeof(AntiforgeryFormFilter)));
            // Every moderator page needs a signed-in moderator, except the sign-in page itself.
            options.Conventions.AuthorizeFolder("/Admin");
            options.Conventions.AllowAnonymousToPage("/Admin/SignIn");
            // Only a handler the page has runs: an unknown handler name is a 404, a method no handler takes a 405.
            options.Conventions.ConfigureFilter(new HandlerSelectionFilter());
        });
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "catalog.af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            // Secure whenever the request came over HTTPS (the default policy never marks it Secure).
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.Configure<RouteOptions>(options => options.LowercaseUrls = true);
        // Who keeps the list, for the footer of every page.
        builder.Services.AddOptions<CuratorOptions>().BindConfiguration("Curators");
        // Form keys are plain names here; jQuery-style keys ("a[b]") from a hostile client would throw while parsed.
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(options =>
        {
            options.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            options.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
        });
        return builder;
    }

    /// <summary>Serves the top-level wwwroot, whatever folder the site was started from.</summary>
    public static WebApplication UseSiteStaticFiles(this WebApplication app)
    {
        var webRoot = AppRoot.WebRoot;
        if (Directory.Exists(webRoot))
        {
            app.Environment.WebRootPath = webRoot;
            app.Environment.WebRootFileProvider = new PhysicalFileProvider(webRoot);
        }
        // Every file under wwwroot has an extension and pages have none: a page skips the file lookups.
        app.UseWhen(context => Path.HasExtension(context.Request.Path.Value), assets =>
        {
            // The br/gzip copies the build wrote beside the text assets, for clients that accept them.
            assets.Use(PrecompressedAssets.Select(app.Environment.WebRootFileProvider));
            assets.UseStaticFiles(new StaticFileOptions
            {
                ContentTypeProvider = new PrecompressedAssets.ContentTypes(),
                OnPrepareResponse = ctx =>
                {
                    PrecompressedAssets.Label(ctx);
                    // Assets are linked with a version query (asp-append-version), so they may be cached for long.
                    if (ctx.Context.Request.Query.ContainsKey("v"))
                        ctx.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                },
            });
        });
        return app;
    }

    /// <summary>
    /// Only a POST carries a form here: the body of any other request is not read as one (a GET with a form body and a
    /// bogus charset would otherwise reach model binding). A POSTed form must be UTF-8 (or its ASCII subset): any other
    /// charset (<c>utf-7</c>, an unknown name) is refused with 415 before anything reads the body, since the form
    /// reader would throw on it.
    /// </summary>
    public static WebApplication UseFormsOnlyOnPost(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // A request without a Content-Type has no form; asking HasFormContentType would build the form feature.
            if (StringValues.IsNullOrEmpty(context.Request.Headers.ContentType) || !context.Request.HasFormContentType)
            {
                await next(context);
                return;
            }
            if (!HttpMethods.IsPost(context.Request.Method))
            {
                context.Request.Headers.ContentType = Microsoft.Extensions.Primitives.StringValues.Empty;
            }
            else if (!IsReadableCharset(context.Request.ContentType))
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("This form must be sent as UTF-8. Nothing was stored; go back and send it again from the site's own page.", context.RequestAborted);
                return;
            }
            await next(context);
        });
        return app;
    }

    internal static bool IsReadableCharset(string? contentType)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)) return false;
        var charset = media.Charset.HasValue ? media.Charset.Value!.Trim('"') : null;
        return charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
               || charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase);
    }

    public static WebApplication UseSiteErrorPages(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error");
        app.UseNotFoundInPlace();
        return app;
    }

    /// <summary>
    /// A strict Content-Security-Policy (only this site's own scripts, styles, fonts and images), the other protective
    /// headers, and Strict-Transport-Security on HTTPS requests. <c>Security:ContentSecurityPolicy</c> = false leaves
    /// out only the Content-Security-Policy header: a test-only switch, so that tests can prove the output encoding
    /// holds without it.
    /// </summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        const string policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; " +
                              "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
        var withPolicy = app.Configuration.GetValue("Security:ContentSecurityPolicy", true);
        // One callback for the site's life, given the context as its state: no closure is made per request.
        Func<object, Task> addHeaders = state =>
        {
            var context = (HttpContext)state;
            var headers = context.Response.Headers;
            if (withPolicy) headers.TryAdd("Content-Security-Policy", policy);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // Kept when the page chose a stricter one (a status page's private token stays out of referrers).
            headers.TryAdd("Referrer-Policy", "strict-origin-when-cross-origin");
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            if (context.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            return Task.CompletedTask;
        };
        app.Use((context, next) =>
        {
            // Set as the answer starts, not now: the exception handler clears every header of a failed request, and its
            // error page must carry them too. A header a later step set already (media's own policy, a private page's referrer policy) is kept.
            context.Response.OnStarting(addHeaders, context);
            return next(context);
        });
        return app;
    }
}
