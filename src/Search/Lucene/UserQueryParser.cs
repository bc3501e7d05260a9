using System.Text;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;

namespace Portal.Search.Lucene;

/// <summary>
/// Turns what a person typed into a Lucene query: words (all must match), "phrases", AND/OR/NOT, +/-, a trailing *
/// for a prefix, and the last word also as a prefix while typing. Everything else Lucene's syntax knows (fields,
/// ranges, fuzzy, boosts, regexps) is taken literally. Problems become <see cref="SearchRequestException"/> for field q.
/// </summary>
internal sealed class UserQueryParser(SearchAnalyzers analyzers)
{
    private const string Field = "q";
    private const int MinPrefixLength = 2;

    // Lucene syntax characters we do not offer; escaped so "Art. 103: ..." or "№12/3" cannot break a query.
    private const string Escaped = "\\:/[]{}^~!?&|";

    public Query? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (text.Length > SearchRequest.MaxQueryLength)
            throw new SearchRequestException(Field, "too_long", $"The query is longer than {SearchRequest.MaxQueryLength} characters.");
        var prepared = Prepare(text.Trim());
        var parser = new Parser(analyzers)
        {
            DefaultOperator = Operator.AND,
            AutoGeneratePhraseQueries = true,
            AllowLeadingWildcard = false,
            LowercaseExpandedTerms = true,
        };
        try
        {
            return parser.Parse(prepared);
        }
        catch (ParseException)
        {
            throw Syntax("The query could not be read: check quotes, parentheses and AND/OR/NOT (each needs words on both sides).");
        }
        catch (BooleanQuery.TooManyClausesException)
        {
            throw new SearchRequestException(Field, "too_complex", "The query has too many words or prefixes; make it shorter.");
        }
    }

    private static SearchRequestException Syntax(string message) => new(Field, "syntax", message);

    /// <summary>Checks what we support, escapes the rest and adds the typing prefix.</summary>
    internal static string Prepare(string text)
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

    /// <summary>Multi-field parsing with the per-field analyzers; prefixes are folded like the text and look in the folded fields only.</summary>
    private sealed class Parser(SearchAnalyzers analyzers)
        : MultiFieldQueryParser(SearchFields.Version, SearchFields.TextFields, analyzers.PerField, SearchFields.Boosts)
    {
        protected override Query GetPrefixQuery(string field, string termStr)
        {
            var tokens = SearchAnalyzers.Tokens(analyzers.Folded, termStr);
            if (tokens.Count == 0) return null!; // the parser skips a null clause
            var query = new BooleanQuery(disableCoord: true);
            foreach (var folded in SearchFields.FoldedFields)
            {
                var clause = new BooleanQuery(disableCoord: true);
                for (var i = 0; i < tokens.Count; i++)
                {
                    var term = tokens[i].Term;
                    if (i == tokens.Count - 1)
                    {
                        var buffer = term.ToCharArray();
                        term = new string(buffer, 0, UzbekFolding.FoldY(buffer, buffer.Length, asPrefix: true));
                        clause.Add(new PrefixQuery(new Term(folded, term)), Occur.MUST);
                    }
                    else clause.Add(new TermQuery(new Term(folded, term)), Occur.MUST);
                }
                clause.Boost = SearchFields.Boosts[folded] * 0.5f; // a completed word ranks above a prefix match
                query.Add(clause, Occur.SHOULD);
            }
            return query;
        }

        protected override Query GetWildcardQuery(string field, string termStr) =>
            throw new ParseException("wildcards other than a trailing * are not supported");

        protected override Query GetFuzzyQuery(string field, string termStr, float minSimilarity) =>
            throw new ParseException("fuzzy queries are not supported");
    }
}
