using Portal.Search.Lucene;
using Portal.Search.Text;

namespace Portal.Search.Tests;

/// <summary>
/// The backend-neutral parser (what the Elasticsearch backend translates) and Lucene's classic parser (what the Lucene
/// backend uses) read the prepared query alike: the same queries are refused with the same codes, the same accepted.
/// </summary>
public sealed class UserQueryTests
{
    public static TheoryData<string> Queries =>
    [
        "Mirziyoyev", "Mirziyoyev Akmal", "\"saylov okrugi\"", "saylov OR okrug", "saylov AND okrug", "saylov NOT okrug",
        "saylov -okrug", "+saylov okrug", "(saylov OR okrug) Toshkent", "Toshk*", "Mirzi* Akmal", "5-uy", "O'zbekiston",
        "Art. 103: silence", "№12/3 [a] {b} ^2 ~ ! ?", "saylov && okrug || x", "title:Toshkent", "\"Тошкент шаҳри\"",
        "a OR b c", "NOT saylov", "- saylov", "saylov -", "saylov OR", "OR saylov", "AND", "OR", "NOT", "Toshkent AND",
        "\"unclosed", "(Toshkent", "Toshkent)", "()", "( )", "*", "*kent", "T*", "To*sh", "\"a\" \"b\"", "a (b (c OR d))",
        "saylov AND OR okrug", "saylov NOT NOT okrug", "\"\"", "+", "-", "x +", "\"a\\\"b\"", "a\\", "Mirziyoyev*", "ab**",
    ];

    private static string? LuceneError(string query)
    {
        using var analyzers = new SearchAnalyzers();
        try
        {
            new UserQueryParser(analyzers).Parse(query);
            return null;
        }
        catch (SearchRequestException e)
        {
            return e.Errors[0].Code;
        }
    }

    private static string? NeutralError(string query)
    {
        try
        {
            UserQuery.Parse(query);
            return null;
        }
        catch (SearchRequestException e)
        {
            return e.Errors[0].Code;
        }
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void BothParsersRefuseTheSameQueriesWithTheSameCode(string query) => Assert.Equal(LuceneError(query), NeutralError(query));

    [Theory]
    [InlineData("\"a\" OR \"b\" \"c\"")]
    [InlineData("\"a\" \"b\" OR \"c\"")]
    [InlineData("\"a\" NOT \"b\" -\"c\"")]
    [InlineData("\"a\" AND \"b\" OR \"c\" NOT \"d\"")]
    [InlineData("+\"a\" OR \"b\"")]
    [InlineData("(\"a\" OR \"b\") \"c\"")]
    public void TopLevelClausesTakeTheOccurLucenesParserGivesThem(string query)
    {
        using var analyzers = new SearchAnalyzers();
        var lucene = Assert.IsType<global::Lucene.Net.Search.BooleanQuery>(new UserQueryParser(analyzers).Parse(query));
        var neutral = Assert.IsType<BooleanNode>(UserQuery.Parse(query));
        Assert.Equal(lucene.Clauses.Select(c => c.Occur switch
        {
            global::Lucene.Net.Search.Occur.MUST => QueryOccur.Must,
            global::Lucene.Net.Search.Occur.SHOULD => QueryOccur.Should,
            _ => QueryOccur.MustNot,
        }), neutral.Clauses.Select(c => c.Occur));
    }

    [Fact]
    public void ClausesCombineAsLucenesClassicParserCombinesThem()
    {
        // "a OR b c": a and b optional (OR makes both sides optional), c required.
        var node = Assert.IsType<BooleanNode>(UserQuery.Parse("\"a\" OR \"b\" \"c\""));
        Assert.Equal([QueryOccur.Should, QueryOccur.Should, QueryOccur.Must], node.Clauses.Select(c => c.Occur));
        var negated = Assert.IsType<BooleanNode>(UserQuery.Parse("\"a\" NOT \"b\" -\"c\""));
        Assert.Equal([QueryOccur.Must, QueryOccur.MustNot, QueryOccur.MustNot], negated.Clauses.Select(c => c.Occur));
        Assert.Equal(new TextNode("saylov okrugi", Quoted: true), UserQuery.Parse("\"saylov okrugi\""));
        Assert.Equal(new PrefixNode("Toshk"), UserQuery.Parse("Toshk*"));
        Assert.Equal(new TextNode("title:Toshkent", Quoted: true), UserQuery.Parse("\"title:Toshkent\""));
    }
}
