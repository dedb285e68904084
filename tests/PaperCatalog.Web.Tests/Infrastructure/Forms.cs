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
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Type is not ("submit" or "button"):
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
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, IHtmlFormElement form, IReadOnlyDictionary<string, string?> values, string? action = null)
    {
        var fields = Fields(form);
        foreach (var (key, value) in values)
        {
            if (value is null) fields.Remove(key);
            else fields[key] = value;
        }
        var target = action ?? form.GetAttribute("action");
        if (string.IsNullOrEmpty(target)) target = new Uri(form.Owner!.Url).PathAndQuery; // a form without an action posts to its own page
        return client.PostAsync(target, new FormUrlEncodedContent(fields));
    }
}
