using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using Lucene.Net.Store;

namespace Portal.Search.Lucene;

/// <summary>
/// The index directory: files are written as by FSDirectory and read through a memory map with a raw pointer.
/// Lucene.NET's MMapDirectory reads every byte through J2N's buffer over a MemoryMappedViewAccessor (bounds checks
/// and a pointer acquired and released per call); the stored-fields decompression and the postings' variable-length
/// ints read byte by byte, and that path was about a tenth of a search's CPU (perf, infra/bench/search).
/// <para>
/// Index files are written once and never changed, so a mapping stays valid while it is open. Lucene closes an input
/// (and its clones are no longer used) only when no reader holds the segment, as with its own MMapDirectory.
/// </para>
/// </summary>
internal sealed class MappedDirectory(DirectoryInfo path) : FSDirectory(path, null)
{
    public override IndexInput OpenInput(string name, IOContext context)
    {
        EnsureOpen();
        var file = new FileInfo(Path.Combine(m_directory.FullName, name));
        return new MappedIndexInput($"MappedIndexInput(path=\"{file.FullName}\")", file);
    }

    /// <summary>Compound files (a small segment's files in one) are read as slices of one map.</summary>
    public override IndexInputSlicer CreateSlicer(string name, IOContext context) => new Slicer((MappedIndexInput)OpenInput(name, context));

    private sealed class Slicer(MappedIndexInput file) : IndexInputSlicer
    {
        public override IndexInput OpenSlice(string sliceDescription, long offset, long length) =>
            file.Slice($"{file} [slice={sliceDescription}]", offset, length);

        [Obsolete("Only for reading CFS files from 3.x indexes.")]
        public override IndexInput OpenFullSlice() => file.Slice($"{file} [full]", 0, file.Length);

        protected override void Dispose(bool disposing)
        {
            if (disposing) file.Dispose();
        }
    }
}

/// <summary>A read-only view of one index file through a pointer into its memory map; clones share the map.</summary>
internal sealed unsafe class MappedIndexInput : IndexInput
{
    private readonly Mapping? _mapping;
    private readonly byte* _start;
    private readonly long _length;
    private long _position;
    private bool _isClone;

    public MappedIndexInput(string description, FileInfo file) : base(description)
    {
        _length = file.Length;
        if (_length == 0) return; // a map of nothing cannot be made; every read fails as at the end of a file
        _mapping = new Mapping(file);
        _start = _mapping.Pointer;
    }

    private MappedIndexInput(MappedIndexInput of, string description, long offset, long length) : base(description)
    {
        _mapping = of._mapping;
        _start = of._start + offset;
        _length = length;
        _isClone = true;
    }

    public override long Length => _length;

    public override long Position => _position; // the file pointer

    public override void Seek(long pos)
    {
        if (pos < 0 || pos > _length) throw new EndOfStreamException($"Seek to {pos} outside {this} (length {_length}).");
        _position = pos;
    }

    public override byte ReadByte()
    {
        if (_position >= _length) throw new EndOfStreamException($"Read past the end of {this}.");
        return _start[_position++];
    }

    public override void ReadBytes(byte[] b, int offset, int len)
    {
        if (len > _length - _position) throw new EndOfStreamException($"Read past the end of {this}.");
        new ReadOnlySpan<byte>(_start + _position, len).CopyTo(b.AsSpan(offset, len));
        _position += len;
    }

    // Lucene writes fixed-width numbers big-endian.
    public override short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public override int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public override long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _length - _position) throw new EndOfStreamException($"Read past the end of {this}.");
        var span = new ReadOnlySpan<byte>(_start + _position, count);
        _position += count;
        return span;
    }

    public override object Clone()
    {
        var clone = (MappedIndexInput)base.Clone();
        clone._isClone = true;
        return clone;
    }

    /// <summary>A part of this file as a file of its own (compound files hold a segment's files as slices).</summary>
    public MappedIndexInput Slice(string description, long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > _length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Slice {offset}+{length} outside {this} (length {_length}).");
        return new MappedIndexInput(this, description, offset, length);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_isClone) _mapping?.Dispose();
    }

    /// <summary>The file's memory map and the pointer acquired on it, released together.</summary>
    private sealed class Mapping : IDisposable
    {
        private readonly MemoryMappedFile _file;
        private readonly MemoryMappedViewAccessor _view;
        private int _disposed;

        public Mapping(FileInfo file)
        {
            _file = MemoryMappedFile.CreateFromFile(file.FullName, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            try
            {
                _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
                byte* pointer = null;
                _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
                Pointer = pointer + _view.PointerOffset;
            }
            catch
            {
                _view?.Dispose();
                _file.Dispose();
                throw;
            }
        }

        public byte* Pointer { get; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file.Dispose();
        }
    }
}
