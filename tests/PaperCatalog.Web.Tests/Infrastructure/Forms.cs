using AngleSharp.Html.Dom;

namespace PaperCatalog.Web.Tests.Infrastructure;

/// <summary>Submits real forms as a browser would: every field the form carries (antiforgery token included), some changed.</summary>
public static class Forms
{
    /// <summary>The fields of <paramref name="form"/> as a browser would send them.</summary>
    public static Dictionary<string, string> Fields(IHtmlFormElement form)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Type is not ("submit" or "button" or "file"):
                    if (input.Type is "checkbox" or "radio") { if (input.IsChecked) fields[input.Name] = input.Value; }
                    else fields[input.Name] = input.Value;
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    fields[area.Name] = area.Value;
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    fields[select.Name] = select.SelectedOptions.FirstOrDefault()?.Value ?? "";
                    break;
            }
        }
        return fields;
    }

    /// <summary>Posts <paramref name="form"/> (to its button's formaction when given) with <paramref name="values"/> changed.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, IHtmlFormElement form, IReadOnlyDictionary<string, string?> values, string? action = null) =>
        client.PostAsync(Target(form, action), new FormUrlEncodedContent(Merged(form, values)));

    /// <summary>The form's fields with <paramref name="values"/> changed (a null value leaves its field out).</summary>
    private static Dictionary<string, string> Merged(IHtmlFormElement form, IReadOnlyDictionary<string, string?> values)
    {
        var fields = Fields(form);
        foreach (var (key, value) in values)
        {
            if (value is null) fields.Remove(key);
            else fields[key] = value;
        }
        return fields;
    }

    /// <summary>Where the form posts: <paramref name="action"/>, else its own; a form without an action posts to its own page.</summary>
    private static string Target(IHtmlFormElement form, string? action = null)
    {
        var target = action ?? form.GetAttribute("action");
        return string.IsNullOrEmpty(target) ? new Uri(form.Owner!.Url).PathAndQuery : target;
    }

    /// <summary>A file as a browser attaches it: its bytes, the name it had and the type the browser guessed from that name.</summary>
    public sealed record Upload(string Field, byte[] Bytes, string FileName, string ContentType);

    /// <summary>
    /// Posts <paramref name="form"/> as multipart/form-data (as its <c>enctype</c> asks), every field as a part,
    /// <paramref name="values"/> changed, and <paramref name="files"/> attached.
    /// </summary>
    public static Task<HttpResponseMessage> PostMultipartAsync(HttpClient client, IHtmlFormElement form, IReadOnlyDictionary<string, string?> values, params Upload[] files)
    {
        Assert.Equal("multipart/form-data", form.GetAttribute("enctype"));
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in Merged(form, values)) content.Add(new StringContent(value), name);
        foreach (var file in files)
        {
            var part = new ByteArrayContent(file.Bytes);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(file.ContentType);
            content.Add(part, file.Field, file.FileName);
        }
        return client.PostAsync(Target(form), content);
    }
}
