using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Portal.StreamGateway.Archive;

/// <summary>Opens a file for atomic appends (O_APPEND), which FileStream and File.AppendAllText do not offer.</summary>
internal static partial class AppendOnly
{
    private const int ReadWrite = 0x2, Create = 0x40, Append = 0x400, CloseOnExec = 0x80000;
    private const int Permissions = 0x1A4; // 0644

    public static SafeFileHandle Open(string path)
    {
        var fd = NativeOpen(path, ReadWrite | Create | Append | CloseOnExec, Permissions);
        if (fd < 0) throw new IOException($"cannot open {path} for appending (errno {Marshal.GetLastPInvokeError()})");
        return new SafeFileHandle((IntPtr)fd, ownsHandle: true);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeOpen(string path, int flags, int mode);
}
