namespace PaperCatalog.Importing;

/// <summary>How bad a problem in a list is.</summary>
public enum Severity
{
    /// <summary>An irregularity the importer repaired; the import goes on.</summary>
    Warning,
    /// <summary>Something the importer cannot read; nothing is written.</summary>
    Error,
}

/// <summary>One problem found in a list, with the file and line a curator should look at.</summary>
public sealed record Diagnostic(string File, int Line, Severity Severity, string Message)
{
    /// <summary>Formats as <c>file:line: warning: message</c>, the shape compilers use, so editors can jump to it.</summary>
    public override string ToString() =>
        $"{File}:{Line}: {(Severity == Severity.Error ? "error" : "warning")}: {Message}";
}
