using System.Text.RegularExpressions;

namespace PaperCatalog.Importing;

/// <summary>Conference and journal names, so that "Title, NeurIPS 2024" or "ICLR'24" is read as a venue and not as part of a title.</summary>
public static partial class Venues
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "NeurIPS", "NIPS", "ICML", "ICLR", "ACL", "EMNLP", "NAACL", "EACL", "COLING", "COLM", "AAAI", "IJCAI", "CVPR", "ICCV", "ECCV",
        "OSDI", "SOSP", "NSDI", "EuroSys", "ATC", "ASPLOS", "ISCA", "MICRO", "HPCA", "MLSys", "SIGMOD", "VLDB", "KDD", "WWW", "SC",
        "PPoPP", "DAC", "ICCAD", "TMLR", "JMLR", "Interspeech", "ICASSP", "SIGCOMM", "FAST", "SoCC", "Neurocomputing", "TACL",
        "ISSCC", "FPGA", "MobiCom", "MobiSys", "SenSys", "UAI", "AISTATS", "CoLLAs", "ICDE", "WSDM", "SIGIR", "CIKM", "RecSys",
    };

    /// <summary>True for "NeurIPS 2024", "ICLR'24", "ACL 2024 Findings", "OSDI": a known name, then at most a year and a word.</summary>
    public static bool Looks(string text)
    {
        var m = VenueRegex().Match(text.Trim());
        return m.Success && Names.Contains(m.Groups["name"].Value);
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z]+)(?:[\s'’-]*(?:[0-9]{4}|[0-9]{2}))?(?:\s+[A-Za-z]+)?$")]
    private static partial Regex VenueRegex();
}
