#nullable enable
// One file, compiled twice: into the MlNetCnn library (the pure ELF logic, which tests exercise) and, through
// MSBuild's RoslynCodeTaskFactory, into the build step MlNetCnn.Native.targets runs after every build
// (in the package: buildTransitive/MlNetCnn.targets, with this file beside it).
// Why it exists: TorchSharp 0.107's libLibTorchSharp.so records a need for GLIBCXX_3.4.32 (GCC 13) for a single
// symbol it never calls (_ZSt21ios_base_library_initv). Debian 12 and Ubuntu 22.04 ship libstdc++ up to 3.4.30,
// so the loader refuses the library. Marking that one version requirement weak (VER_FLG_WEAK in vna_flags of
// .gnu.version_r) tells glibc to tolerate its absence. See README.md in this folder.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace MlNetCnn.Native
{
    /// <summary>One entry of an ELF file's version-requirement table (.gnu.version_r).</summary>
    internal sealed class ElfVersionRequirement
    {
        public ElfVersionRequirement(string library, string version, ushort flags, long flagsOffset)
        {
            Library = library;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        /// <summary>Shared library the version is required from, e.g. <c>libstdc++.so.6</c>.</summary>
        public string Library { get; }

        /// <summary>Symbol version name, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
        public string Version { get; }

        /// <summary>The vna_flags value; bit <see cref="LibTorchSharpCompatibility.WeakFlag"/> marks it weak.</summary>
        public ushort Flags { get; }

        /// <summary>Byte offset of vna_flags in the file.</summary>
        public long FlagsOffset { get; }

        public bool IsWeak => (Flags & LibTorchSharpCompatibility.WeakFlag) != 0;
    }

    /// <summary>Reads and patches ELF version requirements so TorchSharp loads on hosts with an older libstdc++.</summary>
    internal static class LibTorchSharpCompatibility
    {
        /// <summary>VER_FLG_WEAK from elf.h.</summary>
        public const ushort WeakFlag = 0x2;

        /// <summary>The libstdc++ version TorchSharp 0.107 asks for but never really needs.</summary>
        public const string RequiredVersion = "GLIBCXX_3.4.32";

        public const string NativeLibraryName = "libLibTorchSharp.so";

        private const uint SectionTypeVersionNeed = 0x6ffffffe; // SHT_GNU_verneed

        private static readonly string[] LibStdCxxLocations =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
        };

        /// <summary>The system libstdc++ this host's loader will use, or null when none is at a standard path.</summary>
        public static string? FindSystemLibStdCxx()
        {
            foreach (var path in LibStdCxxLocations)
            {
                if (File.Exists(path)) return path;
            }
            return null;
        }

        /// <summary>True when the library file defines the given symbol version (its name appears NUL-terminated).</summary>
        public static bool LibraryProvidesVersion(string libraryPath, string version)
        {
            var haystack = File.ReadAllBytes(libraryPath);
            var needle = Encoding.ASCII.GetBytes(version + "\0");
            return IndexOf(haystack, needle) >= 0;
        }

        /// <summary>Whether this host needs the patch: Linux with a libstdc++ that lacks <see cref="RequiredVersion"/>.</summary>
        public static bool HostNeedsPatch(out string reason)
        {
            var libStdCxx = FindSystemLibStdCxx();
            if (libStdCxx == null)
            {
                reason = "no system libstdc++.so.6 found at a standard path; leaving TorchSharp untouched";
                return false;
            }
            if (LibraryProvidesVersion(libStdCxx, RequiredVersion))
            {
                reason = libStdCxx + " provides " + RequiredVersion + "; no patch needed";
                return false;
            }
            reason = libStdCxx + " lacks " + RequiredVersion + "; TorchSharp's requirement must be made weak";
            return true;
        }

        /// <summary>Lists every version requirement in an ELF64 little-endian shared object.</summary>
        /// <exception cref="InvalidDataException">The file is not an ELF64 little-endian object or is truncated.</exception>
        public static IReadOnlyList<ElfVersionRequirement> ReadVersionRequirements(string path)
        {
            return ReadVersionRequirements(File.ReadAllBytes(path), path);
        }

        /// <summary>
        /// Sets the weak flag on <paramref name="version"/> in <paramref name="path"/>. Returns true when the file was
        /// changed, false when it was already weak or does not require that version. The write is atomic.
        /// </summary>
        public static bool MarkVersionWeak(string path, string version)
        {
            var bytes = File.ReadAllBytes(path);
            var changed = false;
            foreach (var requirement in ReadVersionRequirements(bytes, path))
            {
                if (requirement.Version != version || requirement.IsWeak) continue;
                var flags = (ushort)(requirement.Flags | WeakFlag);
                bytes[requirement.FlagsOffset] = (byte)(flags & 0xff);
                bytes[requirement.FlagsOffset + 1] = (byte)(flags >> 8);
                changed = true;
            }
            if (!changed) return false;

            var temporary = path + ".patching";
            File.WriteAllBytes(temporary, bytes);
            File.Replace(temporary, path, null); // rename over the original: never a half-written library
            return true;
        }

        private static IReadOnlyList<ElfVersionRequirement> ReadVersionRequirements(byte[] elf, string path)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException(path + ": not an ELF file");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException(path + ": only 64-bit little-endian ELF is supported (class " + elf[4] + ", data " + elf[5] + ")");

            var sectionTableOffset = (long)ReadUInt64(elf, 0x28, path);
            var sectionEntrySize = ReadUInt16(elf, 0x3A, path);
            var sectionCount = ReadUInt16(elf, 0x3C, path);

            var result = new List<ElfVersionRequirement>();
            for (var i = 0; i < sectionCount; i++)
            {
                var header = sectionTableOffset + (long)i * sectionEntrySize;
                if (ReadUInt32(elf, header + 4, path) != SectionTypeVersionNeed) continue;

                var sectionOffset = (long)ReadUInt64(elf, header + 0x18, path);
                var stringSectionIndex = ReadUInt32(elf, header + 0x28, path);
                var needCount = ReadUInt32(elf, header + 0x2C, path);
                var stringHeader = sectionTableOffset + (long)stringSectionIndex * sectionEntrySize;
                var stringsOffset = (long)ReadUInt64(elf, stringHeader + 0x18, path);

                var need = sectionOffset;
                for (var n = 0; n < needCount; n++)
                {
                    var auxCount = ReadUInt16(elf, need + 2, path);
                    var library = ReadString(elf, stringsOffset + ReadUInt32(elf, need + 4, path), path);
                    var aux = need + ReadUInt32(elf, need + 8, path);
                    for (var a = 0; a < auxCount; a++)
                    {
                        var flags = ReadUInt16(elf, aux + 4, path);
                        var name = ReadString(elf, stringsOffset + ReadUInt32(elf, aux + 8, path), path);
                        result.Add(new ElfVersionRequirement(library, name, flags, aux + 4));
                        aux += ReadUInt32(elf, aux + 12, path);
                    }
                    need += ReadUInt32(elf, need + 12, path);
                }
            }
            return result;
        }

        private static void CheckRange(byte[] data, long offset, int length, string path)
        {
            if (offset < 0 || offset + length > data.Length)
                throw new InvalidDataException(path + ": truncated ELF file (needed " + length + " bytes at offset " + offset + ", file has " + data.Length + ")");
        }

        private static ushort ReadUInt16(byte[] data, long offset, string path)
        {
            CheckRange(data, offset, 2, path);
            return BitConverter.ToUInt16(data, (int)offset);
        }

        private static uint ReadUInt32(byte[] data, long offset, string path)
        {
            CheckRange(data, offset, 4, path);
            return BitConverter.ToUInt32(data, (int)offset);
        }

        private static ulong ReadUInt64(byte[] data, long offset, string path)
        {
            CheckRange(data, offset, 8, path);
            return BitConverter.ToUInt64(data, (int)offset);
        }

        private static string ReadString(byte[] data, long offset, string path)
        {
            CheckRange(data, offset, 1, path);
            var end = (int)offset;
            while (end < data.Length && data[end] != 0) end++;
            return Encoding.ASCII.GetString(data, (int)offset, end - (int)offset);
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            // Written out because MSBuild compiles this file against netstandard2.0 (no span search there).
            for (var i = 0; i <= haystack.Length - needle.Length; i++)
            {
                var j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }
    }

#if !MLNETCNN_LIBRARY
    /// <summary>MSBuild step: makes TorchSharp's GLIBCXX_3.4.32 requirement weak in the build output, only where needed.</summary>
    public sealed class MakeLibTorchSharpLoadOnOlderLibStdCxx : Microsoft.Build.Utilities.Task
    {
        /// <summary>The output directory to search for libLibTorchSharp.so copies.</summary>
        [Microsoft.Build.Framework.Required]
        public string OutputDirectory { get; set; } = "";

        /// <summary>True for output that runs on this machine; false for output shipped elsewhere (publish, tool packages).</summary>
        public bool OnlyWhenHostNeedsIt { get; set; } = true;

        /// <summary>The copies that are now weak (patched by this run or before); empty when the step did not apply.</summary>
        [Microsoft.Build.Framework.Output]
        public string[] WeakCopies { get; private set; } = Array.Empty<string>();

        public override bool Execute()
        {
            if (!Directory.Exists(OutputDirectory)) return true;
            var copies = Directory.GetFiles(OutputDirectory, LibTorchSharpCompatibility.NativeLibraryName, SearchOption.AllDirectories);
            if (copies.Length == 0) return true;

            var reason = "output is meant for other machines, whose libstdc++ is unknown";
            if (OnlyWhenHostNeedsIt && !LibTorchSharpCompatibility.HostNeedsPatch(out reason))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "MlNetCnn native step: " + reason);
                return true;
            }
            foreach (var copy in copies)
            {
                if (LibTorchSharpCompatibility.MarkVersionWeak(copy, LibTorchSharpCompatibility.RequiredVersion))
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, "MlNetCnn native step: marked " + LibTorchSharpCompatibility.RequiredVersion + " weak in " + copy + " (" + reason + ")");
            }
            WeakCopies = copies;
            return true;
        }
    }
#endif
}
