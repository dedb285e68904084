namespace PaperCatalog.Cli;

/// <summary>Exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The list has errors; nothing was written.</summary>
    public const int ListErrors = 1;
    /// <summary>The command line itself was wrong (unknown verb, missing file argument).</summary>
    public const int Usage = 2;
}
