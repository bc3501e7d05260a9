using System.Text;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Portal.Search.Text;

namespace Portal.Search.Lucene;

/// <summary>
/// Turns what a person typed (the language of <see cref="UserQuerySyntax"/>, prepared by it) into a Lucene query with
/// Lucene's classic parser. Problems become <see cref="SearchRequestException"/> for field q.
/// </summary>
internal sealed class UserQueryParser(SearchAnalyzers analyzers)
{
    public Query? Parse(string? text)
    {
        if (UserQuerySyntax.Prepare(text) is not { } prepared) return null;
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
            throw UserQuerySyntax.SyntaxError();
        }
        catch (BooleanQuery.TooManyClausesException)
        {
            throw UserQuerySyntax.TooComplex();
        }
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
