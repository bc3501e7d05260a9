using System.Text;

namespace Portal.Search.Text;

/// <summary>How a clause takes part in its boolean query.</summary>
internal enum QueryOccur { Must, Should, MustNot }

/// <summary>A parsed user query, independent of any backend: a backend translates it into its own query.</summary>
internal abstract record QueryNode;

/// <summary>Clauses combined as Lucene's classic parser combines them (the default operator is AND).</summary>
internal sealed record BooleanNode(IReadOnlyList<(QueryOccur Occur, QueryNode Node)> Clauses) : QueryNode;

/// <summary>Text to analyse: one typed word or a quoted phrase. Either may analyse to several terms, matched as a phrase.</summary>
internal sealed record TextNode(string Text, bool Quoted) : QueryNode;

/// <summary>A word ending in *: its last term is matched as the start of a word.</summary>
internal sealed record PrefixNode(string Text) : QueryNode;

/// <summary>
/// Parses the text <see cref="UserQuerySyntax.Prepare"/> made (Lucene's classic syntax restricted to what we offer) with the
/// classic parser's rules: a term starts with anything but whitespace and <c>+ - ( ) " *</c> (an escaped char is a
/// term char), AND/OR/NOT are operators, a clause joined by OR is optional and the one before it too, NOT and - exclude.
/// The Lucene backend hands the same text to Lucene's own parser; the behaviour tests hold the two equal.
/// </summary>
internal static class UserQuery
{
    public static QueryNode? Parse(string? text)
    {
        if (UserQuerySyntax.Prepare(text) is not { } prepared) return null;
        var tokens = Tokenize(prepared);
        var position = 0;
        var node = ParseClauses(tokens, ref position, nested: false);
        if (position != tokens.Count) throw UserQuerySyntax.SyntaxError();
        return node;
    }

    private enum Kind { Term, Prefix, Phrase, And, Or, Not, Plus, Minus, Open, Close }

    private readonly record struct Token(Kind Kind, string Text = "");

    private static QueryNode ParseClauses(List<Token> tokens, ref int position, bool nested)
    {
        var clauses = new List<(QueryOccur Occur, QueryNode Node)>();
        while (position < tokens.Count && tokens[position].Kind != Kind.Close)
        {
            var conjunction = Kind.Term; // none
            if (tokens[position].Kind is Kind.And or Kind.Or)
            {
                // A conjunction needs a clause on its left.
                if (clauses.Count == 0) throw UserQuerySyntax.SyntaxError();
                conjunction = tokens[position++].Kind;
            }
            var modifier = Kind.Term; // none
            if (position < tokens.Count && tokens[position].Kind is Kind.Not or Kind.Plus or Kind.Minus) modifier = tokens[position++].Kind;
            if (position >= tokens.Count) throw UserQuerySyntax.SyntaxError();
            var node = ParseClause(tokens, ref position);

            // Lucene's QueryParserBase.AddClause with the default operator AND.
            if (clauses.Count > 0 && clauses[^1].Occur != QueryOccur.MustNot)
            {
                if (conjunction == Kind.And) clauses[^1] = (QueryOccur.Must, clauses[^1].Node);
                else if (conjunction == Kind.Or) clauses[^1] = (QueryOccur.Should, clauses[^1].Node);
            }
            var prohibited = modifier is Kind.Not or Kind.Minus;
            var occur = prohibited ? QueryOccur.MustNot : conjunction == Kind.Or ? QueryOccur.Should : QueryOccur.Must;
            clauses.Add((occur, node));
        }
        if (nested ? position >= tokens.Count : position < tokens.Count) throw UserQuerySyntax.SyntaxError();
        if (clauses.Count == 0) throw UserQuerySyntax.SyntaxError();
        return clauses is [(not QueryOccur.MustNot, var single)] ? single : new BooleanNode(clauses);
    }

    private static QueryNode ParseClause(List<Token> tokens, ref int position)
    {
        var token = tokens[position++];
        switch (token.Kind)
        {
            case Kind.Term: return new TextNode(token.Text, Quoted: false);
            case Kind.Phrase: return new TextNode(token.Text, Quoted: true);
            case Kind.Prefix: return new PrefixNode(token.Text);
            case Kind.Open:
                var inner = ParseClauses(tokens, ref position, nested: true);
                position++; // the ) ParseClauses stopped at
                return inner;
            default: throw UserQuerySyntax.SyntaxError();
        }
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            switch (c)
            {
                case '(': tokens.Add(new(Kind.Open)); i++; continue;
                case ')': tokens.Add(new(Kind.Close)); i++; continue;
                case '+': tokens.Add(new(Kind.Plus)); i++; continue;
                case '-': tokens.Add(new(Kind.Minus)); i++; continue;
                case '*': throw UserQuerySyntax.SyntaxError(); // Prepare lets a * only end a word
                case '"':
                {
                    var phrase = new StringBuilder();
                    i++;
                    while (i < text.Length && text[i] != '"')
                    {
                        if (text[i] == '\\' && i + 1 < text.Length) i++;
                        phrase.Append(text[i++]);
                    }
                    if (i >= text.Length) throw UserQuerySyntax.SyntaxError();
                    i++;
                    tokens.Add(new(Kind.Phrase, phrase.ToString()));
                    continue;
                }
            }
            var term = new StringBuilder();
            var prefix = false;
            while (i < text.Length)
            {
                c = text[i];
                if (c == '\\' && i + 1 < text.Length) { term.Append(text[i + 1]); i += 2; continue; }
                if (char.IsWhiteSpace(c) || c is '(' or ')' or '"') break;
                if (c == '*') { prefix = true; i++; break; }
                term.Append(c);
                i++;
            }
            var word = term.ToString();
            tokens.Add(prefix ? new(Kind.Prefix, word) : word switch
            {
                "AND" => new(Kind.And),
                "OR" => new(Kind.Or),
                "NOT" => new(Kind.Not),
                _ => new(Kind.Term, word),
            });
        }
        return tokens;
    }
}
