using System.Globalization;
using Lucene.Net.Documents;
using Portal.Search.Documents;

namespace Portal.Search.Lucene;

/// <summary>Maps the search documents (as <see cref="DocumentDescription"/> describes them) to Lucene documents: per-culture stored title and body, text in every field family.</summary>
internal static class DocumentMapper
{
    public static string KeyOf(SearchDocumentType type, string id) => DocumentDescription.KeyOf(type, id);

    public static int? DateNumber(DateOnly? date) => date is { } d ? d.Year * 10000 + d.Month * 100 + d.Day : null;

    public static DateOnly? DateFromNumber(int? value) =>
        value is { } v and > 0 ? new DateOnly(v / 10000, v / 100 % 100, v % 100) : null;

    public static Document ToLucene(SearchDocument source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source.Id);
        var (texts, keywords, details, date) = DocumentDescription.Describe(source);
        var document = new Document
        {
            new StringField(SearchFields.Key, KeyOf(source.Type, source.Id), Field.Store.NO),
            new SortedDocValuesField(SearchFields.Key, new(KeyOf(source.Type, source.Id))),
            new StringField(SearchFields.Id, source.Id, Field.Store.YES),
            new StringField(SearchFields.Type, source.Type.ToWire(), Field.Store.YES),
            new NumericDocValuesField(SearchFields.TypeNumber, (long)source.Type),
        };
        if (!string.IsNullOrEmpty(source.RegionId)) document.Add(new StringField(SearchFields.Region, source.RegionId, Field.Store.YES));
        if (DateNumber(date) is { } number)
        {
            // Stored only: the date filter and the sort read the doc values.
            document.Add(new StoredField(SearchFields.Date, number));
            document.Add(new NumericDocValuesField(SearchFields.DateSort, number));
        }
        if (!string.IsNullOrEmpty(source.Url)) document.Add(new StoredField(SearchFields.Url, source.Url));
        foreach (var (name, value) in details)
            if (!string.IsNullOrEmpty(value)) document.Add(new StoredField(SearchFields.StoredDetail + name, value));

        // Each text goes into the families of its language only: Uzbek (either script) and names into the folded
        // field; Russian also into the stemmed Russian field, English into the English one. Analysing every text with
        // every analyzer doubled the indexing time for nothing a query could find.
        var indexed = new HashSet<(string Field, string Text)>();
        foreach (var (culture, (title, body)) in texts)
        {
            document.Add(new StoredField(SearchFields.StoredTitle + culture, title));
            document.Add(new StoredField(SearchFields.StoredBody + culture, body));
            foreach (var family in SearchFields.FamiliesOf(culture))
            {
                var (titleField, bodyField) = SearchFields.FieldsOf(family);
                if (indexed.Add((titleField, title))) document.Add(new TextField(titleField, title, Field.Store.NO));
                if (body.Length > 0 && indexed.Add((bodyField, body))) document.Add(new TextField(bodyField, body, Field.Store.NO));
            }
        }
        foreach (var keyword in keywords.Where(k => !string.IsNullOrWhiteSpace(k) && indexed.Add((SearchFields.TitleFolded, k))))
            document.Add(new TextField(SearchFields.TitleFolded, keyword, Field.Store.NO));
        return document;
    }
}
