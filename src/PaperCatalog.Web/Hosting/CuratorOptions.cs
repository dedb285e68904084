namespace PaperCatalog.Web.Hosting;

/// <summary>
/// Configuration section <c>Curators</c>: who keeps the list, where its source lives and how to reach them, for the
/// footer of every page (environment: <c>Curators__Name</c>, <c>Curators__SourceUrl</c>, <c>Curators__Contact</c>).
/// Each is optional; the defaults come from the list itself.
/// </summary>
public sealed class CuratorOptions
{
    /// <summary>Who keeps the list ("the LLM inference reading group"). Empty: "the curators of" the list's title.</summary>
    public string Name { get; set; } = "";

    /// <summary>Where the list's source lives (its repository), an http(s) address. Empty: the footer names the list file.</summary>
    public string SourceUrl { get; set; } = "";

    /// <summary>
    /// How to reach the curators: an http(s) address (an issue tracker) or a <c>mailto:</c> address. Empty: the submit
    /// form, which reaches the moderators.
    /// </summary>
    public string Contact { get; set; } = "";
}
