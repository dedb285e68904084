using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using PaperCatalog.Testing;
using Xunit.Abstractions;

namespace PaperCatalog.Web.Tests.Security;

/// <summary>
/// Random and malformed requests across every route and form the app has (discovered, not listed): no 500, the
/// site still answers afterwards, and the store is intact with no half-written row. Count and seed from
/// PAPERCATALOG_HTTP_FUZZ (default 1,000) and PAPERCATALOG_HTTP_FUZZ_SEED (default 1).
/// </summary>
public sealed class HttpFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly SecurityFactory _factory = new();

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "HEAD", "MKCOL", "X-ODD"];
    private static readonly string[] ContentTypes =
    [
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz", "multipart/form-data", "application/json", "text/plain",
        "text/html; charset=utf-7", "application/octet-stream", "application/x-www-form-urlencoded; charset=bogus", "image/svg+xml", "", ";;;", "x/y; a=\"",
    ];
    private static readonly string[] Nasty =
    [
        "%00", "%C0%AF", "%ED%A0%80", "%FF%FE", "%C3%28", "%E2%82", "%F4%90%80%80", "%", "%%", "%zz", "%2e%2e", "..", "%2e%2e%2f%2e%2e%2f",
        "%5C", "%0d%0aSet-Cookie:x=1", "%u0041", "%F0%9F%98", "'", "\"", "<", ">", "%3Cscript%3E", "~", "%20", "+", "null", "-1", "99999999999999999999", "NaN",
    ];

    [Fact]
    public async Task RandomAndMalformedRequests_NeverGiveA500_AndLeaveTheStoreWhole()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("PAPERCATALOG_HTTP_FUZZ"), CultureInfo.InvariantCulture, out var c) ? c : 1_000;
        var parallel = int.TryParse(Environment.GetEnvironmentVariable("PAPERCATALOG_HTTP_FUZZ_PARALLEL"), CultureInfo.InvariantCulture, out var p) ? p : 1;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PAPERCATALOG_HTTP_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 1;
        // Real Kestrel on a real port: the requests go through the same HTTP parser as in production.
        _factory.UseKestrel(0);
        _factory.StartServer();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = _factory.ClientOptions.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        BaseAddress = _factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        var routes = SiteMap.Routes(_factory.Services);
        var pages = await SiteMap.CrawlAsync(client, _factory.Services, 60);
        var forms = await SiteMap.FormsAsync(client, pages);
        var parameters = new[] { "q", "topic", "venue", "sort", "page", "from", "to", "slug", "handler", "returnUrl" }
            .Concat(forms.SelectMany(f => f.Fields.Select(x => x.Name))).Distinct().ToArray();
        var before = Counts();
        var vectors = XssVectors.All;

        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
        {
            var random = new Random(HashCode.Combine(seed, i));
            string description = "";
            HttpResponseMessage response;
            try
            {
                using var request = Build(random, routes, pages, forms, parameters, vectors, out description);
                response = await client.SendAsync(request, ct);
                await response.Content.ReadAsByteArrayAsync(ct);
            }
            catch (HttpRequestException) when (!ct.IsCancellationRequested)
            {
                // The server answered early (429, 400, 413) and closed the connection while a large body was still
                // being sent: the client sees a broken pipe. That is HTTP working as meant, as long as the server is up.
                if (await StillUpAsync(client)) { lock (statuses) statuses[0] = statuses.GetValueOrDefault(0) + 1; }
                else lock (failures) failures.Add($"#{i}: the server stopped answering after {description}");
                return;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // The client's own timeout: a request the server held for a minute is a failure, named with its request.
                lock (failures) failures.Add($"#{i}: no answer within {client.Timeout.TotalSeconds:F0} s to {(description.Length > 300 ? description[..300] : description)}");
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lock (failures) failures.Add($"#{i}: {e.GetType().Name}: {e.Message} {e.InnerException?.Message} on {(description.Length > 300 ? description[..300] : description)}");
                return;
            }
            lock (statuses)
            {
                statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                if ((int)response.StatusCode >= 500) failures.Add($"#{i} {(int)response.StatusCode}: {description}");
            }
        });
        watch.Stop();
        output.WriteLine($"{count} requests (seed {seed}) in {watch.Elapsed.TotalSeconds:F1} s over {routes.Count} routes, {pages.Count} pages, {forms.Count} forms; statuses: " +
                         string.Join(", ", statuses.Select(kv => kv.Key == 0 ? $"closed early×{kv.Value}" : $"{kv.Key}×{kv.Value}")));

        Assert.True(failures.Count == 0, $"{failures.Count} failed requests:\n" + string.Join("\n", failures.Take(30)) + "\nserver errors:\n" + string.Join("\n", _factory.Errors.Take(5)));
        var home = await client.GetAsync("/");
        Assert.Equal(System.Net.HttpStatusCode.OK, home.StatusCode);

        await using var connection = Open();
        Assert.Equal("ok", (string?)new SqliteCommand("PRAGMA integrity_check;", connection).ExecuteScalar());
        Assert.Null(new SqliteCommand("PRAGMA foreign_key_check;", connection).ExecuteScalar());
        var after = Counts();
        foreach (var (table, rows) in before)
        {
            if (StrangerMayWrite(table)) continue;
            Assert.True(after.GetValueOrDefault(table) == rows, $"table {table} had {rows} rows, now {after.GetValueOrDefault(table)}");
        }
        // Rows a stranger may add must be whole: no NULL in any column the table declares NOT NULL.
        foreach (var table in after.Keys.Where(StrangerMayWrite))
        {
            var notNull = Columns(connection, table).Where(col => col.NotNull).Select(col => col.Name).ToList();
            foreach (var column in notNull)
            {
                var empty = (long)new SqliteCommand($"SELECT count(*) FROM \"{table}\" WHERE \"{column}\" IS NULL OR \"{column}\" = ''", connection).ExecuteScalar()!;
                Assert.True(empty == 0, $"{empty} rows of {table} with an empty {column}");
            }
        }
    }

    /// <summary>
    /// Every hostile Markdown shape (tests/Shared/HostileMarkdown.cs) in every text area of every discovered form (the
    /// intro of the submission form and of its preview), with a valid antiforgery token: never a 500, never a huge
    /// answer (the table bomb used to answer with 10 MB, the reference bomb with 40 MB).
    /// </summary>
    [Fact]
    public async Task HostileMarkdownInEveryTextArea_NeverGivesA500_NorAHugeAnswer()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = _factory.ClientOptions.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var pages = await SiteMap.CrawlAsync(client, _factory.Services, 60);
        var forms = (await SiteMap.FormsAsync(client, pages)).Where(f => f.IsPost && f.Fields.Any(x => x.Kind == "textarea")).ToList();
        Assert.NotEmpty(forms);
        var failures = new List<string>();
        foreach (var form in forms)
        {
            foreach (var shape in HostileMarkdown.Reproductions.Concat(HostileMarkdown.All))
            {
                using var request = SiteMap.Submit(form, f => f.Kind == "textarea" ? shape.Markdown : f.Value);
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsByteArrayAsync();
                if ((int)response.StatusCode >= 500 || body.Length > 1024 * 1024)
                    failures.Add($"{form.Action} with {HostileMarkdown.Describe(shape)}: {(int)response.StatusCode}, {body.Length:N0} bytes");
            }
        }
        output.WriteLine($"{forms.Count} forms × {HostileMarkdown.Reproductions.Count + HostileMarkdown.All.Count} shapes");
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\nserver errors:\n" + string.Join("\n", _factory.Errors.Take(5)));
    }

    private static string BaseAddress = "";

    private static async Task<bool> StillUpAsync(HttpClient client)
    {
        try { return (await client.GetAsync("/")).IsSuccessStatusCode; }
        catch (HttpRequestException) { return false; }
    }

    /// <summary>Tables a stranger's request may add to: submissions, and failed sign-ins (their counters and audit entries).</summary>
    private static bool StrangerMayWrite(string table) =>
        table.Contains("submission", StringComparison.OrdinalIgnoreCase) || table is "sign_in_failures" or "audit_log";

    private static HttpRequestMessage Build(Random random, IReadOnlyList<SiteRoute> routes, List<string> pages, List<FormSpec> forms,
        string[] parameters, IReadOnlyList<string> vectors, out string description)
    {
        var kind = random.Next(6);
        if (kind == 0 && forms.Count > 0)
        {
            // A discovered form, every field random (token kept, dropped or garbled).
            var form = forms[random.Next(forms.Count)];
            var tokenMode = random.Next(3);
            var request = SiteMap.Submit(form, f => f.Name == FormSpec.TokenField ? (tokenMode == 1 ? "" : Value(random, vectors)) : Value(random, vectors), keepToken: tokenMode == 0);
            description = $"form {form} token={tokenMode}";
            return request;
        }
        var method = kind <= 2 ? "GET" : Methods[random.Next(Methods.Length)];
        string path;
        if (random.Next(3) == 0) path = pages[random.Next(pages.Count)].Split('?')[0];
        else
        {
            var route = routes[random.Next(routes.Count)];
            path = route.Fill(Segment(random, vectors));
        }
        if (random.Next(8) == 0) path += "/" + Segment(random, vectors);
        var query = string.Join('&', Enumerable.Range(0, random.Next(5)).Select(_ =>
            (random.Next(6) == 0 ? Segment(random, vectors) : parameters[random.Next(parameters.Length)]) + "=" + Encode(random, Value(random, vectors))));
        var url = query.Length > 0 ? path + "?" + query : path;
        // Absolute, so that a path the fuzzer starts with "//" or "\\" still goes to this site.
        var message = new HttpRequestMessage(new HttpMethod(method), new Uri(BaseAddress + url));
        if (method is not "GET" and not "HEAD" and not "TRACE" || random.Next(10) == 0)
        {
            var body = random.Next(4) switch
            {
                0 => RandomBytes(random, random.Next(0, 4096)),
                1 => Encoding.UTF8.GetBytes(string.Join('&', Enumerable.Range(0, random.Next(6)).Select(_ => parameters[random.Next(parameters.Length)] + "=" + Encode(random, Value(random, vectors))))),
                2 => Encoding.UTF8.GetBytes("{\"q\":" + (random.Next(2) == 0 ? "\"" + Value(random, vectors).Replace("\"", "") + "\"" : "[{{{") + "}"),
                _ => Encoding.UTF8.GetBytes("--zz\r\nContent-Disposition: form-data; name=\"" + parameters[random.Next(parameters.Length)] + "\"\r\n\r\n" + Value(random, vectors) + (random.Next(2) == 0 ? "\r\n--zz--\r\n" : "")),
            };
            message.Content = new ByteArrayContent(body);
            var type = ContentTypes[random.Next(ContentTypes.Length)];
            if (type.Length > 0) message.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        if (random.Next(5) == 0) message.Headers.TryAddWithoutValidation("Accept", random.Next(2) == 0 ? "application/json" : "*/*;q=\\");
        description = $"{method} {(url.Length > 3000 ? url[..3000] + "…" : url)} ({message.Content?.Headers.ContentType?.ToString() ?? "no body"})";
        return message;
    }

    /// <summary>A path segment: random bytes percent-escaped, invalid UTF-8, NUL, dot segments, a vector, or 1 MB.</summary>
    private static string Segment(Random random, IReadOnlyList<string> vectors) => random.Next(8) switch
    {
        0 => string.Concat(RandomBytes(random, random.Next(1, 40)).Select(b => "%" + b.ToString("X2", CultureInfo.InvariantCulture))),
        1 => string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => Nasty[random.Next(Nasty.Length)])),
        2 => Uri.EscapeDataString(vectors[random.Next(vectors.Count)]),
        3 when random.Next(20) == 0 => new string('a', 1 << 20),
        4 => "x" + random.Next(),
        _ => Uri.EscapeDataString(new string(Enumerable.Range(0, random.Next(1, 30)).Select(_ => (char)random.Next(0x20, 0x2FF)).ToArray())),
    };

    /// <summary>A field value: a vector, random text, huge (1 MB), NUL-laden, numbers at the edges, hostile Markdown.</summary>
    private static string Value(Random random, IReadOnlyList<string> vectors) => random.Next(9) switch
    {
        0 or 1 => vectors[random.Next(vectors.Count)],
        2 when random.Next(10) == 0 => new string((char)random.Next('a', 'z'), 1 << 20),
        3 => "\0" + vectors[random.Next(vectors.Count)] + "\0",
        4 => new[] { "-1", "0", "2147483648", "-2147483649", "1e309", "NaN", "", " ", "9999", "relevance", "date", "citations" }[random.Next(12)],
        5 => new string(Enumerable.Range(0, random.Next(0, 200)).Select(_ => (char)random.Next(1, 0xFFFF)).Where(ch => !char.IsSurrogate(ch)).ToArray()),
        6 => "\uD800" + "x" + "\uDFFF",
        7 when random.Next(3) == 0 => HostileMarkdown.All[random.Next(HostileMarkdown.All.Count)].Markdown,
        _ => "x" + random.Next(),
    };

    /// <summary>Usually a proper escape; sometimes raw nasty escapes (invalid UTF-8, NUL) as they come.</summary>
    private static string Encode(Random random, string value) =>
        random.Next(4) == 0 ? Nasty[random.Next(Nasty.Length)] + Uri.EscapeDataString(value.Length > 1000 ? value : value) : Uri.EscapeDataString(Sanitise(value));

    private static string Sanitise(string value) => value.Replace("\uD800", "\uFFFD").Replace("\uDFFF", "\uFFFD");

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _factory.DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private Dictionary<string, long> Counts()
    {
        using var connection = Open();
        var tables = new List<string>();
        using (var reader = new SqliteCommand("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", connection).ExecuteReader())
            while (reader.Read()) tables.Add(reader.GetString(0));
        return tables.ToDictionary(t => t, t => (long)new SqliteCommand($"SELECT count(*) FROM \"{t}\"", connection).ExecuteScalar()!);
    }

    private static List<(string Name, bool NotNull)> Columns(SqliteConnection connection, string table)
    {
        var columns = new List<(string, bool)>();
        using var reader = new SqliteCommand($"PRAGMA table_info(\"{table}\")", connection).ExecuteReader();
        while (reader.Read()) columns.Add((reader.GetString(1), reader.GetInt64(3) == 1));
        return columns;
    }

    public void Dispose() => _factory.Dispose();
}
