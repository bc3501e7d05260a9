using System.Text;

namespace Portal.Search.Text;

/// <summary>
/// The query language a person types, whichever backend answers it: words (all must match), "phrases", AND/OR/NOT,
/// +/-, parentheses, a trailing * for a prefix, and the last word also as a prefix while typing. Everything else
/// Lucene's classic syntax knows (fields, ranges, fuzzy, boosts, regexps) is escaped and taken literally. The prepared
/// text is in that classic syntax; problems are <see cref="SearchRequestException"/>s for field q with one set of codes.
/// </summary>
internal static class UserQuerySyntax
{
    internal const string Field = "q";
    internal const int MinPrefixLength = 2;

    // Lucene syntax characters we do not offer; escaped so "Art. 103: ..." or "№12/3" cannot break a query.
    internal const string Escaped = "\\:/[]{}^~!?&|";

    /// <summary>The text checked, escaped and with the typing prefix added; null when there is nothing to search for.</summary>
    public static string? Prepare(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (text.Length > SearchRequest.MaxQueryLength)
            throw new SearchRequestException(Field, "too_long", $"The query is longer than {SearchRequest.MaxQueryLength} characters.");
        var trimmed = text.Trim();
        // A station number however it is phrased ("uchastka 683", "участок 683"): the number, matched as a whole word.
        if (StationNumberPhrasing.NumberOf(trimmed) is { } number) return number;
        return PrepareTrimmed(trimmed);
    }

    public static SearchRequestException SyntaxError() =>
        new(Field, "syntax", "The query could not be read: check quotes, parentheses and AND/OR/NOT (each needs words on both sides).");

    public static SearchRequestException TooComplex() =>
        new(Field, "too_complex", "The query has too many words or prefixes; make it shorter.");

    /// <summary>Checks what we support, escapes the rest and adds the typing prefix.</summary>
    internal static string PrepareTrimmed(string text)
    {
        var quotes = text.Count(c => c == '"');
        if (quotes % 2 != 0)
            throw new SearchRequestException(Field, "unclosed_quote", "A phrase is opened with \" but not closed.");
        var depth = 0;
        var inQuote = false;
        foreach (var c in text)
        {
            if (c == '"') inQuote = !inQuote;
            if (inQuote) continue;
            if (c == '(') depth++;
            if (c == ')' && --depth < 0) break;
        }
        if (depth != 0)
            throw new SearchRequestException(Field, "unbalanced_parentheses", "The parentheses in the query do not match.");

        var builder = new StringBuilder(text.Length + 16);
        inQuote = false;
        foreach (var word in SplitKeepingSpaces(text))
        {
            if (word.Length == 0 || char.IsWhiteSpace(word[0])) { builder.Append(word); continue; }
            builder.Append(PrepareWord(word, ref inQuote));
        }

        // Prefix while typing: the last bare word also matches as the start of a word.
        var prepared = builder.ToString();
        var lastWord = LastBareWord(text);
        if (lastWord is not null && !inQuote)
            prepared = prepared[..^lastWord.Length] + $"({lastWord} OR {lastWord}*)";
        return prepared;
    }

    private static string PrepareWord(string word, ref bool inQuote)
    {
        var result = new StringBuilder(word.Length + 4);
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            if (c == '"') { inQuote = !inQuote; result.Append(c); continue; }
            if (c == '*')
            {
                if (inQuote) continue; // a * inside a phrase means nothing; drop it
                // Only a trailing * (a prefix) is offered: not alone, not leading, not inside a word.
                var before = CoreBefore(word, i);
                var atEnd = i == word.Length - 1 || word[(i + 1)..].All(ch => ch is ')' or '*');
                if (before.Length == 0)
                    throw new SearchRequestException(Field, "wildcard", "A * must follow the start of a word (e.g. Toshk*); it cannot stand alone or begin a word.");
                if (!atEnd)
                    throw new SearchRequestException(Field, "wildcard", "A * may only end a word (a prefix search).");
                if (LetterCount(before) < MinPrefixLength)
                    throw new SearchRequestException(Field, "prefix_too_short", $"A prefix needs at least {MinPrefixLength} letters before the *.");
                if (i > 0 && word[i - 1] == '*') continue;
                result.Append(c);
                continue;
            }
            if (Escaped.Contains(c)) { result.Append('\\'); }
            result.Append(c);
        }
        return result.ToString();
    }

    private static string CoreBefore(string word, int index)
    {
        var start = index;
        while (start > 0 && !char.IsWhiteSpace(word[start - 1]) && word[start - 1] is not ('(' or '"' or '+' or '-')) start--;
        return word[start..index];
    }

    private static int LetterCount(string s) => s.Count(char.IsLetterOrDigit);

    private static IEnumerable<string> SplitKeepingSpaces(string text)
    {
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || char.IsWhiteSpace(text[i]) != char.IsWhiteSpace(text[i - 1]))
            {
                yield return text[start..i];
                start = i;
            }
        }
    }

    /// <summary>The last word when it is a plain word being typed (letters, digits, apostrophes), else null.</summary>
    private static string? LastBareWord(string text)
    {
        if (text.Length == 0 || char.IsWhiteSpace(text[^1])) return null;
        var start = text.Length;
        while (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || UzbekFolding.IsApostrophe(text[start - 1]))) start--;
        var word = text[start..];
        if (start > 0 && !char.IsWhiteSpace(text[start - 1]) && text[start - 1] is not ('(' or '+')) return null;
        if (word is "AND" or "OR" or "NOT" || LetterCount(word) < MinPrefixLength) return null;
        return word;
    }
}
