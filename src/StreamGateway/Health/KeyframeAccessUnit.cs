namespace Portal.StreamGateway.Health;

/// <summary>
/// The first H.264 access unit of an MPEG-TS segment (what ffmpeg's HLS muxer writes: the segment starts at a keyframe,
/// and the keyframe's PES carries its AUD, SPS and PPS), made ready for the node's <see cref="KeyframeDecoder"/>: the SPS
/// says the stream has no frame reordering (so the decoder returns the picture at once instead of holding it for the
/// B-frames that will never come), and an AUD follows it (so ffmpeg's parser emits it without waiting for more input).
/// A small PAT/PMT/PES reader: no maintained MPEG-TS demuxer is on NuGet, and only the first PES of one PID is needed.
/// </summary>
public static class KeyframeAccessUnit
{
    private const int PacketSize = 188;
    private const byte StreamTypeH264 = 0x1B;

    /// <summary>An access unit delimiter: ends the access unit before it for ffmpeg's H.264 parser.</summary>
    public static ReadOnlySpan<byte> Delimiter => [0, 0, 0, 1, 0x09, 0xF0];

    /// <summary>Reads the segment only as far as its first video access unit. Null: none (not TS, no H.264, cut short).</summary>
    public static byte[]? Read(string segmentPath, int maxBytes = 4 << 20)
    {
        using var file = new FileStream(segmentPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        var reader = new TsReader();
        var buffer = new byte[PacketSize * 348];
        var read = 0;
        while (read < maxBytes)
        {
            var n = file.Read(buffer);
            if (n == 0) return reader.Finish();
            read += n;
            var whole = n - n % PacketSize;
            // ffmpeg writes whole packets; a segment still being written is never offered.
            for (var i = 0; i + PacketSize <= whole; i += PacketSize)
                if (reader.Packet(buffer.AsSpan(i, PacketSize))) return reader.Result;
            if (whole != n) return null;
        }
        return null;
    }

    /// <summary>The first video access unit of a TS byte stream (whole packets), as the decoder is to be fed it.</summary>
    public static byte[]? FromTs(ReadOnlySpan<byte> ts)
    {
        var reader = new TsReader();
        for (var i = 0; i + PacketSize <= ts.Length; i += PacketSize)
            if (reader.Packet(ts.Slice(i, PacketSize))) return reader.Result;
        return reader.Finish();
    }

    private sealed class TsReader
    {
        private int _pmtPid = -1;
        private int _videoPid = -1;
        private MemoryStream? _pes;

        public byte[]? Result { get; private set; }

        /// <summary>True when the first access unit is complete (the next PES of the video PID starts).</summary>
        public bool Packet(ReadOnlySpan<byte> p)
        {
            if (p[0] != 0x47) return false;
            var unitStart = (p[1] & 0x40) != 0;
            var pid = ((p[1] & 0x1F) << 8) | p[2];
            var control = (p[3] >> 4) & 3;
            var offset = 4;
            if ((control & 2) != 0) offset += 1 + p[4];
            if ((control & 1) == 0 || offset >= PacketSize) return false;
            var payload = p[offset..];
            if (pid == 0 && unitStart) _pmtPid = ProgramMapPid(Section(payload));
            else if (pid == _pmtPid && unitStart && _videoPid < 0) _videoPid = VideoPid(Section(payload));
            else if (pid == _videoPid && _videoPid >= 0)
            {
                if (unitStart)
                {
                    if (_pes is not null)
                    {
                        Result = Prepare(_pes.ToArray());
                        return true;
                    }
                    // PES header: 00 00 01, stream id, length (2), flags (2), header length, then the header's fields.
                    if (payload.Length < 9 || payload[0] != 0 || payload[1] != 0 || payload[2] != 1) return false;
                    var start = 9 + payload[8];
                    if (start > payload.Length) return false;
                    _pes = new MemoryStream(64 * 1024);
                    _pes.Write(payload[start..]);
                }
                else _pes?.Write(payload);
            }
            return false;
        }

        /// <summary>The segment ended: the last PES is complete too.</summary>
        public byte[]? Finish() => Result ??= _pes is { Length: > 0 } ? Prepare(_pes.ToArray()) : null;

        private static ReadOnlySpan<byte> Section(ReadOnlySpan<byte> payload)
        {
            var pointer = payload[0];
            if (1 + pointer + 3 > payload.Length) return [];
            var section = payload[(1 + pointer)..];
            var length = ((section[1] & 0x0F) << 8) | section[2];
            return section[..Math.Min(section.Length, 3 + length)];
        }

        private static int ProgramMapPid(ReadOnlySpan<byte> pat)
        {
            // table id, length (2), stream id (2), version, section numbers (2), then 4 bytes a program until the CRC.
            for (var i = 8; i + 4 <= pat.Length - 4; i += 4)
            {
                var program = (pat[i] << 8) | pat[i + 1];
                if (program != 0) return ((pat[i + 2] & 0x1F) << 8) | pat[i + 3];
            }
            return -1;
        }

        private static int VideoPid(ReadOnlySpan<byte> pmt)
        {
            if (pmt.Length < 12) return -1;
            var infoLength = ((pmt[10] & 0x0F) << 8) | pmt[11];
            for (var i = 12 + infoLength; i + 5 <= pmt.Length - 4;)
            {
                var type = pmt[i];
                var pid = ((pmt[i + 1] & 0x1F) << 8) | pmt[i + 2];
                var esInfo = ((pmt[i + 3] & 0x0F) << 8) | pmt[i + 4];
                if (type == StreamTypeH264) return pid;
                i += 5 + esInfo;
            }
            return -1;
        }
    }

    /// <summary>The access unit with every SPS saying "no reordering", then an AUD. Null when it holds no IDR slice.</summary>
    public static byte[]? Prepare(ReadOnlySpan<byte> accessUnit)
    {
        using var output = new MemoryStream(accessUnit.Length + 64);
        var idr = false;
        foreach (var (start, length) in NalUnits(accessUnit))
        {
            var nal = accessUnit.Slice(start, length);
            var type = nal[0] & 0x1F;
            if (type == 5) idr = true;
            output.Write([0, 0, 0, 1]);
            if (type == 7 && SpsWithoutReordering(nal) is { } sps) output.Write(sps);
            else output.Write(nal);
        }
        if (!idr) return null;
        output.Write(Delimiter);
        return output.ToArray();
    }

    /// <summary>The NAL units of an Annex B byte stream: (offset, length) of each, without its start code.</summary>
    public static List<(int Start, int Length)> NalUnits(ReadOnlySpan<byte> stream)
    {
        var units = new List<(int, int)>();
        var start = -1;
        for (var i = 0; i + 2 < stream.Length; i++)
        {
            if (stream[i] != 0 || stream[i + 1] != 0 || stream[i + 2] != 1) continue;
            if (start >= 0) units.Add((start, TrimZeros(stream, start, i)));
            start = i + 3;
            i += 2;
        }
        if (start >= 0 && start < stream.Length) units.Add((start, stream.Length - start));
        return units;

        static int TrimZeros(ReadOnlySpan<byte> s, int from, int to)
        {
            while (to > from && s[to - 1] == 0) to--;
            return to - from;
        }
    }

    /// <summary>
    /// The SPS rewritten with VUI bitstream restrictions that say max_num_reorder_frames = 0 (every other field kept).
    /// The decoder is only ever fed IDR pictures, which are never reordered; without this, H.264 with B-frames makes
    /// ffmpeg hold each picture until two more have come. Null: an SPS this reader does not follow (left as it is).
    /// </summary>
    public static byte[]? SpsWithoutReordering(ReadOnlySpan<byte> nal)
    {
        try
        {
            var rbsp = Unescape(nal[1..]);
            var r = new BitReader(rbsp);
            var profile = r.Bits(8);
            r.Bits(16); // constraint flags, level
            r.Ue(); // seq_parameter_set_id
            if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
            {
                var chroma = r.Ue();
                if (chroma == 3) r.Bits(1);
                r.Ue();
                r.Ue();
                r.Bits(1);
                if (r.Bits(1) == 1)
                    for (var i = 0; i < (chroma != 3 ? 8 : 12); i++)
                        if (r.Bits(1) == 1) SkipScalingList(r, i < 6 ? 16 : 64);
            }
            r.Ue(); // log2_max_frame_num_minus4
            var pocType = r.Ue();
            if (pocType == 0) r.Ue();
            else if (pocType == 1)
            {
                r.Bits(1);
                r.Se();
                r.Se();
                var cycle = r.Ue();
                for (var i = 0; i < cycle; i++) r.Se();
            }
            var refFrames = r.Ue();
            r.Bits(1);
            r.Ue();
            r.Ue();
            if (r.Bits(1) == 0) r.Bits(1); // frame_mbs_only, mb_adaptive_frame_field
            r.Bits(1); // direct_8x8_inference
            if (r.Bits(1) == 1)
            {
                r.Ue();
                r.Ue();
                r.Ue();
                r.Ue();
            }
            var vuiFlagAt = r.Position;
            var w = new BitWriter(rbsp.Length + 16);
            w.Copy(rbsp, vuiFlagAt);
            w.Bits(1, 1);
            uint mvOver = 1, maxBytes = 2, maxBits = 1, mvH = 16, mvV = 16, decBuffering = refFrames;
            if (r.Bits(1) == 1)
            {
                if (r.Bits(1) == 1 && r.Bits(8) == 255) r.Bits(32);
                if (r.Bits(1) == 1) r.Bits(1);
                if (r.Bits(1) == 1)
                {
                    r.Bits(5);
                    if (r.Bits(1) == 1) r.Bits(24);
                }
                if (r.Bits(1) == 1)
                {
                    r.Ue();
                    r.Ue();
                }
                if (r.Bits(1) == 1)
                {
                    r.Bits(32);
                    r.Bits(32);
                    r.Bits(1);
                }
                var nalHrd = r.Bits(1) == 1;
                if (nalHrd) SkipHrd(r);
                var vclHrd = r.Bits(1) == 1;
                if (vclHrd) SkipHrd(r);
                if (nalHrd || vclHrd) r.Bits(1);
                r.Bits(1); // pic_struct_present
                w.Copy(rbsp, r.Position, vuiFlagAt + 1);
                if (r.Bits(1) == 1)
                {
                    mvOver = r.Bits(1);
                    maxBytes = r.Ue();
                    maxBits = r.Ue();
                    mvH = r.Ue();
                    mvV = r.Ue();
                    r.Ue();
                    decBuffering = r.Ue();
                }
            }
            else w.Bits(0, 8); // no aspect, overscan, signal type, chroma location, timing, HRD, pic_struct
            w.Bits(1, 1);
            w.Bits(mvOver, 1);
            w.Ue(maxBytes);
            w.Ue(maxBits);
            w.Ue(mvH);
            w.Ue(mvV);
            w.Ue(0);
            w.Ue(Math.Max(decBuffering, 1));
            w.Bits(1, 1); // rbsp_stop_one_bit, then zeros to the byte
            var body = w.ToArray();
            var escaped = Escape(body);
            var result = new byte[1 + escaped.Length];
            result[0] = nal[0];
            escaped.CopyTo(result, 1);
            return result;
        }
        catch (IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static void SkipScalingList(BitReader r, int size)
    {
        int last = 8, next = 8;
        for (var j = 0; j < size; j++)
        {
            if (next != 0) next = (last + r.Se() + 256) % 256;
            last = next == 0 ? last : next;
        }
    }

    private static void SkipHrd(BitReader r)
    {
        var count = r.Ue() + 1;
        r.Bits(8);
        for (var i = 0; i < count; i++)
        {
            r.Ue();
            r.Ue();
            r.Bits(1);
        }
        r.Bits(20);
    }

    private static byte[] Unescape(ReadOnlySpan<byte> ebsp)
    {
        var output = new List<byte>(ebsp.Length);
        var zeros = 0;
        foreach (var b in ebsp)
        {
            if (zeros >= 2 && b == 3)
            {
                zeros = 0;
                continue;
            }
            output.Add(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return [.. output];
    }

    private static byte[] Escape(ReadOnlySpan<byte> rbsp)
    {
        var output = new List<byte>(rbsp.Length + 8);
        var zeros = 0;
        foreach (var b in rbsp)
        {
            if (zeros >= 2 && b <= 3)
            {
                output.Add(3);
                zeros = 0;
            }
            output.Add(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return [.. output];
    }

    private sealed class BitReader(byte[] data)
    {
        public int Position { get; private set; }

        public uint Bits(int count)
        {
            uint value = 0;
            for (var i = 0; i < count; i++)
            {
                value = (value << 1) | (uint)((data[Position >> 3] >> (7 - (Position & 7))) & 1);
                Position++;
            }
            return value;
        }

        public uint Ue()
        {
            var zeros = 0;
            while (Bits(1) == 0)
                if (++zeros > 31) throw new IndexOutOfRangeException("exp-Golomb code too long");
            return zeros == 0 ? 0 : (1u << zeros) - 1 + Bits(zeros);
        }

        public int Se()
        {
            var k = Ue();
            return (k & 1) == 1 ? (int)((k + 1) / 2) : -(int)(k / 2);
        }
    }

    private sealed class BitWriter(int capacity)
    {
        private readonly List<byte> _bytes = new(capacity);
        private int _bit;
        private int _current;

        public void Bits(uint value, int count)
        {
            for (var i = count - 1; i >= 0; i--)
            {
                _current = (_current << 1) | (int)((value >> i) & 1);
                if (++_bit == 8)
                {
                    _bytes.Add((byte)_current);
                    _bit = _current = 0;
                }
            }
        }

        public void Ue(uint value)
        {
            var v = value + 1;
            var length = 32 - System.Numerics.BitOperations.LeadingZeroCount(v);
            Bits(0, length - 1);
            Bits(v, length);
        }

        /// <summary>Bits [from, to) of <paramref name="source"/>.</summary>
        public void Copy(byte[] source, int to, int from = 0)
        {
            for (var p = from; p < to; p++) Bits((uint)((source[p >> 3] >> (7 - (p & 7))) & 1), 1);
        }

        public byte[] ToArray()
        {
            if (_bit > 0) Bits(0, 8 - _bit);
            return [.. _bytes];
        }
    }
}
