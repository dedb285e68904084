namespace PaperCatalog.Web.Pages.Shared;

/// <summary>A figure as <c>_Figure.cshtml</c> shows it: where the image is served, its size (no jump as it loads) and its description.</summary>
public sealed record FigureImage(string Src, long Width, long Height, string Description);
