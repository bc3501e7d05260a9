using System.Collections.Concurrent;
using System.Numerics;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace Portal.Search.Lucene;

/// <summary>
/// Evaluates a boolean query term at a time: each leaf clause (term, phrase, prefix...) is read by its own Lucene
/// scorer straight into per-document score and match-count arrays, and the boolean nodes combine those arrays, instead
/// of Lucene's document-at-a-time tree of conjunction and disjunction scorers. A broad query (a word in six fields and
/// the typing prefix, tens of thousands of matches, every one counted for the per-type counts) spent most of its time
/// in that tree's heap and advance calls, not in reading postings. Once a required clause has been read, the other
/// clauses only look at its matches (advancing their scorers to those documents).
/// <para>
/// Every match is scored with the same weights and formula as Lucene's <c>BooleanScorer2</c> (TF-IDF of the leaf
/// scorers, the query norm, coord per boolean node), so the matches, the counts and the ranking are the same; sums may
/// differ in the last bit of a float from Lucene's addition order. Queries this does not handle (minimum-should-match)
/// return false and go through Lucene.
/// </para>
/// </summary>
internal static class TermAtATimeSearch
{
    /// <summary>
    /// Collects every match of <paramref name="query"/> that passes <paramref name="filters"/> into
    /// <paramref name="collector"/>, per segment in document order, with its score. False when the query is not a
    /// boolean query this can evaluate: then nothing was collected. Used for every boolean query: measured on the
    /// benchmark, it is as fast as Lucene's own search for narrow queries too.
    /// </summary>
    /// <param name="pageSize">How many hits the page collector keeps (skip + page size): a match scoring below the
    /// lowest of the best that many so far cannot reach the page and is only counted.</param>
    public static bool TrySearch(IndexSearcher searcher, Query query, IReadOnlyList<Filter> filters, TypeCountCollector collector, int pageSize)
    {
        var rewritten = searcher.Rewrite(query);
        if (rewritten is not BooleanQuery || !Supported(rewritten)) return false;
        var root = Node.Create(rewritten, searcher);
        var sum = root.GetValueForNormalization();
        var norm = searcher.Similarity.QueryNorm(sum);
        if (float.IsInfinity(norm) || float.IsNaN(norm)) norm = 1f;
        root.Normalize(norm, 1f);

        var leaves = searcher.IndexReader.Leaves;
        var prepared = new List<(AtomicReaderContext Context, Segment Segment)>(leaves.Count);
        foreach (var context in leaves)
        {
            var segment = new Segment(context, root.LeafCount);
            root.Prepare(segment);
            prepared.Add((context, segment));
        }

        var scorer = new FixedScorer();
        var best = new PriorityQueue<float, float>(Math.Min(pageSize, 1024) + 1);
        try
        {
            foreach (var (context, segment) in prepared) Collect(context, segment, root, filters, collector, scorer, best, pageSize);
        }
        finally
        {
            foreach (var (_, segment) in prepared) segment.ReturnAll();
        }
        return true;
    }

    private static void Collect(AtomicReaderContext context, Segment segment, Node root, IReadOnlyList<Filter> filters,
        TypeCountCollector collector, FixedScorer scorer, PriorityQueue<float, float> best, int pageSize)
    {
        collector.SetNextReader(context);
        collector.SetScorer(scorer);
        var bits = filters.Select(f => FilterBits(f, context)).ToList();
        if (bits.Any(b => b is null)) return; // a filter that matches nothing in this segment
        var scratch = root.Evaluate(segment, mask: null, maskCount: 0);
        if (scratch is null) return;
        try
        {
            var docs = scratch.Docs;
            var scores = scratch.Sums;
            for (var i = 0; i < scratch.DocCount; i++)
            {
                var doc = docs[i];
                var accepted = true;
                foreach (var b in bits)
                    if (!b!.Get(doc)) { accepted = false; break; }
                if (!accepted || !collector.Count(doc)) continue;
                // The page sorts by score, then key: only a score at least the lowest of the best so far can enter
                // it (an equal one may, by its key), so lower ones are counted and not offered.
                var score = scores[doc];
                if (best.Count >= pageSize)
                {
                    if (score < best.Peek()) continue;
                    best.EnqueueDequeue(score, score);
                }
                else best.Enqueue(score, score);
                scorer.Doc = doc;
                scorer.Score = score;
                collector.CollectCounted(doc);
            }
        }
        finally
        {
            segment.Release(scratch);
        }
    }

    private static bool Supported(Query query) => query switch
    {
        // Match counts per document are bytes: a node of more clauses goes through Lucene.
        BooleanQuery boolean => boolean.MinimumNumberShouldMatch == 0 && boolean.Clauses.Count < byte.MaxValue && boolean.Clauses.All(c => Supported(c.Query)),
        _ => true, // a leaf: read through its own Lucene scorer
    };

    /// <summary>The documents a filter lets through in a segment, as random access bits; null when none pass.</summary>
    private static IBits? FilterBits(Filter filter, AtomicReaderContext context)
    {
        var set = filter.GetDocIdSet(context, context.AtomicReader.LiveDocs);
        if (set is null) return null;
        if (set.Bits is { } bits) return bits;
        var iterator = set.GetIterator();
        if (iterator is null) return null;
        var fixedBits = new FixedBitSet(context.AtomicReader.MaxDoc);
        for (var doc = iterator.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = iterator.NextDoc()) fixedBits.Set(doc);
        return fixedBits;
    }

    /// <summary>One node of the query: a boolean query (combined here) or a leaf (scored by Lucene).</summary>
    private sealed class Node
    {
        private readonly Query _query;
        private readonly Weight? _leafWeight;
        private readonly int _leafId;
        private readonly List<(Node Node, Occur Occur)> _children = [];
        private Node[] _required = [], _optional = [], _prohibited = [];
        private readonly Similarity _similarity;
        private readonly bool _disableCoord;
        private readonly int _maxCoord;
        private readonly float[] _coord;

        private Node(Query query, Weight? leafWeight, int leafId, Similarity similarity, bool disableCoord, int maxCoord)
        {
            _query = query;
            _leafWeight = leafWeight;
            _leafId = leafId;
            _similarity = similarity;
            _disableCoord = disableCoord;
            _maxCoord = maxCoord;
            // As BooleanWeight.Coord: one clause (or coord disabled) is never scaled.
            _coord = new float[maxCoord + 1];
            for (var i = 0; i <= maxCoord; i++)
                _coord[i] = disableCoord || maxCoord <= 1 ? 1f : similarity.Coord(i, maxCoord);
        }

        public int LeafCount { get; private set; }

        public static Node Create(Query query, IndexSearcher searcher)
        {
            var leafIds = 0;
            var root = Create(query, searcher, new TermLookup(), ref leafIds);
            root.LeafCount = leafIds;
            return root;
        }

        private static Node Create(Query query, IndexSearcher searcher, TermLookup lookup, ref int leafIds)
        {
            if (query is not BooleanQuery boolean)
            {
                // A term's statistics come from the query's shared enumerators (TermLookup); Lucene's own weight uses
                // them instead of looking the term up again.
                var leaf = query is TermQuery term ? new TermQuery(term.Term, lookup.Build(searcher.TopReaderContext, term.Term)) { Boost = term.Boost } : query;
                return new Node(query, leaf.CreateWeight(searcher), leafIds++, searcher.Similarity, disableCoord: true, maxCoord: 0);
            }
            var node = new Node(query, null, -1, searcher.Similarity, boolean.CoordDisabled, boolean.Clauses.Count(c => c.Occur != Occur.MUST_NOT));
            foreach (var clause in boolean.Clauses)
                node._children.Add((Create(clause.Query, searcher, lookup, ref leafIds), clause.Occur));
            node._required = [.. node._children.Where(c => c.Occur == Occur.MUST).Select(c => c.Node)];
            node._optional = [.. node._children.Where(c => c.Occur == Occur.SHOULD).Select(c => c.Node)];
            node._prohibited = [.. node._children.Where(c => c.Occur == Occur.MUST_NOT).Select(c => c.Node)];
            return node;
        }

        private bool IsLeaf => _leafWeight is not null;

        /// <summary>As BooleanWeight.GetValueForNormalization: the sum over the non-prohibited clauses, times boost².</summary>
        public float GetValueForNormalization()
        {
            if (_leafWeight is not null) return _leafWeight.GetValueForNormalization();
            var sum = 0f;
            foreach (var (child, occur) in _children)
            {
                var value = child.GetValueForNormalization();
                if (occur != Occur.MUST_NOT) sum += value;
            }
            return sum * _query.Boost * _query.Boost;
        }

        /// <summary>As BooleanWeight.Normalize: the boost of each boolean node multiplies into its clauses'.</summary>
        public void Normalize(float norm, float topLevelBoost)
        {
            if (_leafWeight is not null)
            {
                _leafWeight.Normalize(norm, topLevelBoost);
                return;
            }
            topLevelBoost *= _query.Boost;
            foreach (var (child, _) in _children) child.Normalize(norm, topLevelBoost);
        }

        /// <summary>Creates the segment's leaf scorers and notes each leaf's cost (postings it would read; see <see cref="Cost"/>).</summary>
        public void Prepare(Segment segment)
        {
            if (_leafWeight is not null)
            {
                var scorer = _leafWeight.GetScorer(segment.Context, segment.Context.AtomicReader.LiveDocs);
                segment.Scorers[_leafId] = scorer;
                segment.Costs[_leafId] = scorer?.GetCost() ?? 0;
                return;
            }
            foreach (var (child, _) in _children) child.Prepare(segment);
        }

        private long Cost(Segment segment)
        {
            if (IsLeaf) return segment.Costs[_leafId];
            long sum = 0, required = long.MaxValue;
            foreach (var (child, occur) in _children)
            {
                if (occur == Occur.MUST) required = Math.Min(required, child.Cost(segment));
                else if (occur == Occur.SHOULD) sum += child.Cost(segment);
            }
            return required != long.MaxValue ? required : sum;
        }

        /// <summary>
        /// The node's matches in the segment (only among <paramref name="mask"/> when given), ascending in
        /// <see cref="Scratch.Docs"/>, with their final scores in <see cref="Scratch.Sums"/>; null when nothing matches.
        /// Only boolean nodes are evaluated this way; leaves are read into their parent.
        /// </summary>
        public Scratch? Evaluate(Segment segment, int[]? mask, int maskCount)
        {
            var scratch = segment.Rent();
            var required = _required;
            var optional = _optional;
            var prohibited = _prohibited;
            if (required.Length == 0 && optional.Length == 0) return Empty(segment, scratch);

            if (required.Length > 0)
            {
                // The cheapest required clause gives the candidates; every other clause only looks at those.
                if (required.Length > 1)
                {
                    required = (Node[])required.Clone();
                    var costs = Array.ConvertAll(required, n => n.Cost(segment));
                    Array.Sort(costs, required);
                }
                var first = true;
                foreach (var child in required)
                {
                    var candidates = first ? mask : scratch.Docs;
                    var candidateCount = first ? maskCount : scratch.DocCount;
                    var count = Read(segment, child, candidates, candidateCount, scratch, Mode.Required);
                    if (count == 0) return Empty(segment, scratch);
                    scratch.Swap(count);
                    segment.Changed();
                    first = false;
                }
                foreach (var child in optional)
                    Read(segment, child, scratch.Docs, scratch.DocCount, scratch, Mode.Optional);
            }
            else
            {
                foreach (var child in optional)
                    Read(segment, child, mask, maskCount, scratch, Mode.Union);
                scratch.DocsFromTouched();
                segment.Changed();
                if (scratch.DocCount == 0) return Empty(segment, scratch);
            }
            foreach (var child in prohibited)
                Read(segment, child, scratch.Docs, scratch.DocCount, scratch, Mode.Prohibited);

            // Final scores in place: sum × coord(matching clauses, clauses); prohibited documents dropped.
            var docs = scratch.Docs;
            var sums = scratch.Sums;
            var counts = scratch.Counts;
            var kept = 0;
            for (var i = 0; i < scratch.DocCount; i++)
            {
                var doc = docs[i];
                if (scratch.IsExcluded(doc)) continue;
                sums[doc] *= _coord[Math.Min(counts[doc], _maxCoord)];
                docs[kept++] = doc;
            }
            scratch.DocCount = kept;
            segment.Changed();
            return kept == 0 ? Empty(segment, scratch) : scratch;
        }

        private static Scratch? Empty(Segment segment, Scratch scratch)
        {
            segment.Release(scratch);
            return null;
        }

        private enum Mode { Required, Optional, Union, Prohibited }

        /// <summary>
        /// Reads a child's matches (among the candidates when given) into the parent's scratch. Required: adds the score,
        /// counts the clause and lists the document in <see cref="Scratch.Next"/> (returns how many). Optional: adds and
        /// counts. Union: adds, counts and marks the document touched. Prohibited: marks it excluded.
        /// </summary>
        private static int Read(Segment segment, Node child, int[]? candidates, int candidateCount, Scratch into, Mode mode)
        {
            if (child.IsLeaf)
            {
                var scorer = segment.Scorers[child._leafId];
                if (scorer is null) return 0;
                if (candidates is null) return ReadAll(scorer, into, mode, member: null);
                // Few postings against many candidates: read them all and check each against the candidates' bits;
                // else advance the scorer from candidate to candidate.
                if (segment.Costs[child._leafId] <= 4L * candidateCount)
                    return ReadAll(scorer, into, mode, segment.Member(candidates, candidateCount));
                return ReadCandidates(scorer, candidates, candidateCount, into, mode);
            }
            var result = child.Evaluate(segment, candidates, candidateCount);
            if (result is null) return 0;
            try
            {
                var n = 0;
                for (var i = 0; i < result.DocCount; i++)
                {
                    var doc = result.Docs[i];
                    Accept(into, mode, doc, result.Sums[doc], ref n);
                }
                return n;
            }
            finally
            {
                segment.Release(result);
            }
        }

        private static int ReadAll(Scorer scorer, Scratch into, Mode mode, ulong[]? member)
        {
            var n = 0;
            for (var doc = scorer.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = scorer.NextDoc())
            {
                if (member is not null && (member[doc >> 6] & (1UL << doc)) == 0) continue;
                Accept(into, mode, doc, mode == Mode.Prohibited ? 0f : scorer.GetScore(), ref n);
            }
            return n;
        }

        private static int ReadCandidates(Scorer scorer, int[] candidates, int count, Scratch into, Mode mode)
        {
            var n = 0;
            var i = 0;
            if (count == 0) return 0;
            var doc = scorer.DocID < candidates[0] ? scorer.Advance(candidates[0]) : scorer.DocID;
            while (doc != DocIdSetIterator.NO_MORE_DOCS)
            {
                // The next candidate at or after the scorer's document.
                while (i < count && candidates[i] < doc) i++;
                if (i == count) break;
                if (candidates[i] == doc)
                {
                    Accept(into, mode, doc, mode == Mode.Prohibited ? 0f : scorer.GetScore(), ref n);
                    if (++i == count) break;
                }
                doc = scorer.Advance(candidates[i]);
            }
            return n;
        }

        private static void Accept(Scratch into, Mode mode, int doc, float score, ref int n)
        {
            switch (mode)
            {
                case Mode.Required:
                    into.Sums[doc] += score;
                    into.Counts[doc]++;
                    into.Touch(doc);
                    into.Next[n++] = doc;
                    break;
                case Mode.Optional:
                    into.Sums[doc] += score;
                    into.Counts[doc]++;
                    n++;
                    break;
                case Mode.Union:
                    into.Sums[doc] += score;
                    into.Counts[doc]++;
                    into.Touch(doc);
                    n++;
                    break;
                default:
                    into.Exclude(doc);
                    n++;
                    break;
            }
        }
    }

    /// <summary>One segment's leaf scorers and its pool of scratch arrays (returned clean).</summary>
    private sealed class Segment(AtomicReaderContext context, int leafCount)
    {
        private readonly Stack<Scratch> _free = new();

        public AtomicReaderContext Context { get; } = context;
        public Scorer?[] Scorers { get; } = new Scorer?[leafCount];
        public long[] Costs { get; } = new long[leafCount];

        private ulong[]? _member;
        private int[]? _memberOf;
        private int _memberCount;
        private int _version;
        private int _memberVersion = -1;

        /// <summary>Called whenever a document list changes: the cached candidate bits no longer hold.</summary>
        public void Changed() => _version++;

        /// <summary>The candidates as bits, cached until a document list changes.</summary>
        public ulong[] Member(int[] candidates, int count)
        {
            if (ReferenceEquals(_memberOf, candidates) && _memberCount == count && _memberVersion == _version && _member is not null) return _member;
            var words = (Context.AtomicReader.MaxDoc + 63) / 64;
            if (_member is null || _member.Length < words) _member = new ulong[words];
            else Array.Clear(_member, 0, words);
            for (var i = 0; i < count; i++) _member[candidates[i] >> 6] |= 1UL << candidates[i];
            _memberOf = candidates;
            _memberCount = count;
            _memberVersion = _version;
            return _member;
        }

        public Scratch Rent() => _free.Count > 0 ? _free.Pop() : ScratchPool.Rent(Context.AtomicReader.MaxDoc);

        public void Release(Scratch scratch)
        {
            scratch.Clear();
            Changed();
            _free.Push(scratch);
        }

        /// <summary>Gives the scratch arrays back to the shared pool (the search is over).</summary>
        public void ReturnAll()
        {
            while (_free.Count > 0) ScratchPool.Return(_free.Pop());
        }
    }

    /// <summary>Scratch arrays are a few hundred KB each for a big segment: kept between queries, clean.</summary>
    private static class ScratchPool
    {
        private const int MaxPooled = 16;
        private static readonly ConcurrentBag<Scratch> Pool = [];

        public static Scratch Rent(int maxDoc)
        {
            while (Pool.TryTake(out var scratch))
                if (scratch.Capacity >= maxDoc) return scratch.For(maxDoc);
            return new Scratch(maxDoc);
        }

        public static void Return(Scratch scratch)
        {
            if (Pool.Count < MaxPooled) Pool.Add(scratch);
        }
    }

    /// <summary>
    /// Per-document sums and match counts (dense over the segment), the touched and excluded documents (bit sets),
    /// and two document lists: <see cref="Docs"/> (the current matches, ascending) and <see cref="Next"/> (being built).
    /// </summary>
    private sealed class Scratch
    {
        private ulong[] _touched;
        private ulong[] _excluded;
        private bool _anyExcluded;
        private int _maxDoc;

        public Scratch(int maxDoc)
        {
            Capacity = maxDoc;
            _maxDoc = maxDoc;
            Sums = new float[maxDoc];
            Counts = new byte[maxDoc];
            Docs = new int[maxDoc];
            Next = new int[maxDoc];
            _touched = new ulong[(maxDoc + 63) / 64];
            _excluded = new ulong[(maxDoc + 63) / 64];
        }

        public int Capacity { get; }
        public float[] Sums { get; }
        public byte[] Counts { get; }
        public int[] Docs { get; private set; }
        public int[] Next { get; private set; }
        public int DocCount { get; set; }

        public Scratch For(int maxDoc)
        {
            _maxDoc = maxDoc;
            return this;
        }

        public void Touch(int doc) => _touched[doc >> 6] |= 1UL << doc;

        public void Exclude(int doc)
        {
            _excluded[doc >> 6] |= 1UL << doc;
            _anyExcluded = true;
        }

        public bool IsExcluded(int doc) => _anyExcluded && (_excluded[doc >> 6] & (1UL << doc)) != 0;

        /// <summary>The documents just listed in <see cref="Next"/> become the current ones.</summary>
        public void Swap(int count)
        {
            (Docs, Next) = (Next, Docs);
            DocCount = count;
        }

        /// <summary>The current documents are the touched ones, ascending.</summary>
        public void DocsFromTouched()
        {
            var n = 0;
            var words = (_maxDoc + 63) / 64;
            for (var w = 0; w < words; w++)
            {
                var word = _touched[w];
                while (word != 0)
                {
                    Docs[n++] = (w << 6) + BitOperations.TrailingZeroCount(word);
                    word &= word - 1;
                }
            }
            DocCount = n;
        }

        /// <summary>Zeroes what was written (only the touched documents), so the arrays can be used again.</summary>
        public void Clear()
        {
            var words = (_maxDoc + 63) / 64;
            for (var w = 0; w < words; w++)
            {
                var word = _touched[w];
                if (word == 0) continue;
                _touched[w] = 0;
                while (word != 0)
                {
                    var doc = (w << 6) + BitOperations.TrailingZeroCount(word);
                    Sums[doc] = 0;
                    Counts[doc] = 0;
                    word &= word - 1;
                }
            }
            if (_anyExcluded) Array.Clear(_excluded, 0, words);
            _anyExcluded = false;
            DocCount = 0;
        }
    }

    /// <summary>
    /// Builds TermContexts as TermContext.Build does, but with one terms enumerator per segment and field for the whole
    /// query: a query looks up each word in six fields, and a fresh enumerator per lookup was most of that cost.
    /// </summary>
    private sealed class TermLookup
    {
        private readonly Dictionary<(int Ord, string Field), TermsEnum?> _enums = [];

        public TermContext Build(IndexReaderContext top, Term term)
        {
            var states = new TermContext(top);
            foreach (var leaf in top.Leaves)
            {
                if (!_enums.TryGetValue((leaf.Ord, term.Field), out var termsEnum))
                    _enums[(leaf.Ord, term.Field)] = termsEnum = leaf.AtomicReader.Fields?.GetTerms(term.Field)?.GetEnumerator();
                if (termsEnum is not null && termsEnum.SeekExact(term.Bytes))
                    states.Register(termsEnum.GetTermState(), leaf.Ord, termsEnum.DocFreq, termsEnum.TotalTermFreq);
            }
            return states;
        }
    }

    /// <summary>Hands the collector each document's precomputed score.</summary>
    private sealed class FixedScorer() : Scorer(null)
    {
        public int Doc { get; set; } = -1;
        public float Score { get; set; }
        public override int DocID => Doc;
        public override float GetScore() => Score;
        public override int Freq => 1;
        public override int NextDoc() => throw new NotSupportedException();
        public override int Advance(int target) => throw new NotSupportedException();
        public override long GetCost() => 1;
    }
}
