using Lucene.Net.Store;
using Portal.Search.Lucene;

namespace Portal.Search.Tests;

/// <summary>The index directory reads files through a pointer into their memory map: it must read what Lucene wrote.</summary>
public sealed class MappedDirectoryTests : IDisposable
{
    private readonly DirectoryInfo _path = System.IO.Directory.CreateTempSubdirectory("mapped-directory-");

    [Fact]
    public void ReadsWhatWasWrittenAndFailsPastTheEnd()
    {
        using var directory = new MappedDirectory(_path);
        using (var output = directory.CreateOutput("numbers", IOContext.DEFAULT))
        {
            output.WriteByte(7);
            output.WriteInt16(-2);
            output.WriteInt32(123_456_789);
            output.WriteInt64(-9_876_543_210_123L);
            output.WriteVInt32(300);
            output.WriteVInt64(5_000_000_000L);
            output.WriteString("Oʻzbekiston Ўзбекистон");
            output.WriteBytes([1, 2, 3, 4, 5], 5);
        }

        using var input = directory.OpenInput("numbers", IOContext.DEFAULT);
        Assert.Equal(7, input.ReadByte());
        Assert.Equal(-2, input.ReadInt16());
        Assert.Equal(123_456_789, input.ReadInt32());
        Assert.Equal(-9_876_543_210_123L, input.ReadInt64());
        Assert.Equal(300, input.ReadVInt32());
        Assert.Equal(5_000_000_000L, input.ReadVInt64());
        Assert.Equal("Oʻzbekiston Ўзбекистон", input.ReadString());
        var bytes = new byte[5];
        input.ReadBytes(bytes, 0, 5);
        Assert.Equal([1, 2, 3, 4, 5], bytes);
        Assert.Equal(input.Length, input.Position);
        Assert.Throws<EndOfStreamException>(() => input.ReadByte());
        Assert.Throws<EndOfStreamException>(() => input.ReadInt32());

        // A clone reads on its own from where it was made; seeking one does not move the other.
        input.Seek(1);
        var clone = (IndexInput)input.Clone();
        Assert.Equal(-2, clone.ReadInt16());
        clone.Seek(3);
        Assert.Equal(1, input.Position);
        Assert.Equal(123_456_789, clone.ReadInt32());
        Assert.Throws<EndOfStreamException>(() => input.Seek(input.Length + 1));
    }

    [Fact]
    public void ReadsSlicesAndEmptyFiles()
    {
        using var directory = new MappedDirectory(_path);
        using (var output = directory.CreateOutput("slices", IOContext.DEFAULT))
            for (var i = 0; i < 100; i++) output.WriteInt32(i);
        using (directory.CreateOutput("empty", IOContext.DEFAULT)) { }

        using var slicer = directory.CreateSlicer("slices", IOContext.DEFAULT);
        var slice = slicer.OpenSlice("middle", 40, 8);
        Assert.Equal(8, slice.Length);
        Assert.Equal(10, slice.ReadInt32());
        Assert.Equal(11, slice.ReadInt32());
        Assert.Throws<EndOfStreamException>(() => slice.ReadByte());

        using var empty = directory.OpenInput("empty", IOContext.DEFAULT);
        Assert.Equal(0, empty.Length);
        Assert.Throws<EndOfStreamException>(() => empty.ReadByte());
    }

    public void Dispose() => _path.Delete(recursive: true);
}
