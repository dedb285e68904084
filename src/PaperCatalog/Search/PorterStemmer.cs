namespace PaperCatalog.Search;

/// <summary>
/// The Porter stemmer as FTS5's <c>porter</c> tokenizer applies it (M. F. Porter, 1980, with the reference
/// implementation's "bli"/"logi" rules), so <see cref="SearchMarks"/> finds the words the index matched. It works on a
/// folded token (lowercase, no accents): letters other than a–z count as consonants, and a token shorter than 3 or longer
/// than 64 UTF-8 bytes is left as it is, and a suffix is only taken from a longer word, as FTS5 does.
/// </summary>
internal static class PorterStemmer
{
    public static string Stem(string token)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(token);
        if (bytes < 3 || bytes > 64) return token;
        var w = new Word(token);
        w.Step1A();
        if (w.Step1B()) w.Step1B2();
        if (w.EndsWith("y") && w.HasVowel(w.Length - 1)) w.SetEnd(1, "i");
        w.Step2();
        w.Step3();
        w.Step4();
        w.Step5();
        return w.ToString();
    }

    private sealed class Word(string token)
    {
        private readonly System.Text.StringBuilder _b = new(token);

        public int Length => _b.Length;

        public override string ToString() => _b.ToString();

        private bool IsConsonant(int i) => _b[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !IsConsonant(i - 1),
            _ => true,
        };

        /// <summary>The measure m of the first <paramref name="n"/> letters: the number of vowel-consonant sequences.</summary>
        private int Measure(int n)
        {
            var i = 0;
            while (i < n && IsConsonant(i)) i++;
            var m = 0;
            while (i < n)
            {
                while (i < n && !IsConsonant(i)) i++;
                if (i >= n) break;
                while (i < n && IsConsonant(i)) i++;
                m++;
            }
            return m;
        }

        public bool HasVowel(int n)
        {
            for (var i = 0; i < n; i++)
                if (!IsConsonant(i)) return true;
            return false;
        }

        /// <summary>Whether the word ends with <paramref name="suffix"/> after at least one letter (as FTS5 tests every rule).</summary>
        public bool EndsWith(string suffix)
        {
            if (suffix.Length >= _b.Length) return false;
            for (var i = 0; i < suffix.Length; i++)
                if (_b[_b.Length - suffix.Length + i] != suffix[i]) return false;
            return true;
        }

        public void SetEnd(int remove, string add)
        {
            _b.Length -= remove;
            _b.Append(add);
        }

        /// <summary>*o: the first <paramref name="n"/> letters end consonant-vowel-consonant, the last not w, x or y.</summary>
        private bool EndsCvc(int n) =>
            n >= 3 && IsConsonant(n - 1) && !IsConsonant(n - 2) && IsConsonant(n - 3) && _b[n - 1] is not ('w' or 'x' or 'y');

        private bool EndsDoubleConsonant(int n) => n >= 2 && _b[n - 1] == _b[n - 2] && IsConsonant(n - 1);

        public void Step1A()
        {
            if (EndsWith("sses")) SetEnd(2, "");
            else if (EndsWith("ies")) SetEnd(2, "");
            else if (EndsWith("ss")) { }
            else if (EndsWith("s")) SetEnd(1, "");
        }

        /// <summary>Step 1b; true when "ed" or "ing" was taken off (step 1b's second part follows).</summary>
        public bool Step1B()
        {
            if (EndsWith("eed"))
            {
                if (Measure(_b.Length - 3) > 0) SetEnd(1, "");
                return false;
            }
            foreach (var suffix in (string[])["ed", "ing"])
            {
                if (EndsWith(suffix) && HasVowel(_b.Length - suffix.Length))
                {
                    SetEnd(suffix.Length, "");
                    return true;
                }
            }
            return false;
        }

        public void Step1B2()
        {
            if (EndsWith("at") || EndsWith("bl") || EndsWith("iz")) SetEnd(0, "e");
            else if (EndsDoubleConsonant(_b.Length) && _b[^1] is not ('l' or 's' or 'z')) SetEnd(1, "");
            else if (Measure(_b.Length) == 1 && EndsCvc(_b.Length)) SetEnd(0, "e");
        }

        /// <summary>Replaces the first suffix of <paramref name="rules"/> that ends the word, when the stem before it has m &gt; <paramref name="minMeasure"/>.</summary>
        private void Replace((string Suffix, string With)[] rules, int minMeasure)
        {
            foreach (var (suffix, with) in rules)
            {
                if (!EndsWith(suffix)) continue;
                if (Measure(_b.Length - suffix.Length) > minMeasure) SetEnd(suffix.Length, with);
                return;
            }
        }

        private static readonly (string, string)[] Step2Rules =
        [
            ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("bli", "ble"),
            ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
            ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
            ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"),
        ];

        private static readonly (string, string)[] Step3Rules =
        [
            ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
        ];

        // Longest first where one ends another ("ement" before "ment" before "ent").
        private static readonly string[] Step4Suffixes =
        [
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti",
            "ous", "ive", "ize",
        ];

        public void Step2() => Replace(Step2Rules, 0);

        public void Step3() => Replace(Step3Rules, 0);

        public void Step4()
        {
            string? found = null;
            foreach (var suffix in Step4Suffixes)
                if (EndsWith(suffix) && (found is null || suffix.Length > found.Length)) found = suffix;
            if (found is null) return;
            var stem = _b.Length - found.Length;
            if (Measure(stem) <= 1) return;
            if (found == "ion" && !(stem > 0 && _b[stem - 1] is 's' or 't')) return;
            SetEnd(found.Length, "");
        }

        public void Step5()
        {
            if (EndsWith("e"))
            {
                var m = Measure(_b.Length - 1);
                if (m > 1 || m == 1 && !EndsCvc(_b.Length - 1)) SetEnd(1, "");
            }
            if (EndsWith("ll") && Measure(_b.Length) > 1) SetEnd(1, "");
        }
    }
}
