using System.Runtime.InteropServices;
using System.Text;

namespace MlNetCnn.IO;

/// <summary>
/// A folder's entry names as the file system stores them (bytes), for messages about names that are not valid UTF-8:
/// .NET decodes such a name with U+FFFD, which names no file, so a message built from it would point nowhere.
/// </summary>
internal static class RawNames
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Every entry name of <paramref name="folder"/>: valid UTF-8 names as they are, others with each byte of 0x80 and
    /// above shown as <c>\xNN</c>. Empty off Linux or when the folder cannot be read.
    /// </summary>
    public static IReadOnlyList<string> Escaped(string folder)
    {
        var names = new List<string>();
        if (!OperatingSystem.IsLinux()) return names;
        var dir = Libc.opendir(folder);
        if (dir == IntPtr.Zero) return names;
        try
        {
            IntPtr entry;
            while ((entry = Libc.readdir(dir)) != IntPtr.Zero)
            {
                var bytes = NameBytes(entry + DirentNameOffset);
                names.Add(Escape(bytes));
            }
        }
        finally
        {
            Libc.closedir(dir);
        }
        return names;
    }

    /// <summary><paramref name="bytes"/> as text: UTF-8 when it decodes, else printable ASCII as is and every other byte as \xNN.</summary>
    internal static string Escape(byte[] bytes)
    {
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            var text = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes)
                text.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:x2}");
            return text.ToString();
        }
    }

    private static byte[] NameBytes(IntPtr name)
    {
        var length = 0;
        while (Marshal.ReadByte(name, length) != 0) length++;
        var bytes = new byte[length];
        Marshal.Copy(name, bytes, 0, length);
        return bytes;
    }

    // glibc's struct dirent on 64-bit Linux: d_ino u64, d_off i64, d_reclen u16, d_type u8, then d_name.
    private const int DirentNameOffset = 19;

    private static class Libc
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern IntPtr opendir([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

        [DllImport("libc", SetLastError = true)]
        public static extern IntPtr readdir(IntPtr dir);

        [DllImport("libc", SetLastError = true)]
        public static extern int closedir(IntPtr dir);
    }
}
