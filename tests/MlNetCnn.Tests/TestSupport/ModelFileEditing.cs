using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using MlNetCnn.Persistence;

namespace MlNetCnn.Tests.TestSupport;

/// <summary>Builds damaged model files from good ones: entries changed or dropped, checksums optionally made to match.</summary>
public static class ModelFileEditing
{
    /// <summary>
    /// Rewrites the archive at <paramref name="path"/>, letting <paramref name="edit"/> change or drop entries. With
    /// <paramref name="fixChecksums"/> the manifest's SHA-256 list is updated, as if a buggy writer produced the file.
    /// </summary>
    public static void Rewrite(string path, Func<string, byte[], byte[]?> edit, bool fixChecksums = false) =>
        File.WriteAllBytes(path, Rewrite(File.ReadAllBytes(path), edit, fixChecksums));

    /// <inheritdoc cref="Rewrite(string, Func{string, byte[], byte[]}, bool)"/>
    public static byte[] Rewrite(byte[] archive, Func<string, byte[], byte[]?> edit, bool fixChecksums = false)
    {
        var entries = new List<(string Name, byte[] Content)>();
        using (var zip = new ZipArchive(new MemoryStream(archive, writable: false), ZipArchiveMode.Read))
        {
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                var content = edit(entry.FullName, buffer.ToArray());
                if (content != null) entries.Add((entry.FullName, content));
            }
        }
        if (fixChecksums)
        {
            var index = entries.FindIndex(e => e.Name == "manifest.json");
            var manifest = JsonNode.Parse(entries[index].Content)!.AsObject();
            var sums = new JsonObject();
            foreach (var (name, content) in entries.Where(e => e.Name != "manifest.json"))
                sums[name] = SimpleCnnModelFile.Sha256Of(content);
            manifest["sha256"] = sums;
            entries[index] = ("manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        }
        using var output = new MemoryStream();
        using (var rewritten = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = rewritten.CreateEntry(name).Open();
                stream.Write(content);
            }
        }
        return output.ToArray();
    }

    /// <summary>Replaces one JSON entry's text (checksums fixed), e.g. to claim an impossible architecture.</summary>
    public static void EditJson(string path, string entry, Func<JsonNode, JsonNode> edit) =>
        Rewrite(path, (name, content) => name == entry ? Encoding.UTF8.GetBytes(edit(JsonNode.Parse(content)!).ToJsonString()) : content, fixChecksums: true);
}
