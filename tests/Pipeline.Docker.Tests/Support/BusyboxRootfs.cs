using System.Formats.Tar;

namespace Pipeline.Docker.Tests;

/// <summary>
/// A root file system tar holding only the static busybox and links to the applets the tests use: the smallest
/// base image there is, made here because nothing can be pulled.
/// </summary>
internal static class BusyboxRootfs
{
    public const string Package = "busybox-static";

    private static readonly string[] Applets =
        ["sh", "sleep", "cat", "echo", "httpd", "wget", "mkdir", "touch", "ls", "find", "sort", "grep", "id", "head", "true", "false"];

    public static string FindBusybox()
    {
        var busybox = ExecutableSearch.Find("busybox", Environment.GetEnvironmentVariable);
        if (busybox is null || !IsStatic(busybox))
        {
            throw new InvalidOperationException(
                $"A static busybox is needed to make the tests' base image ({(busybox is null ? "none on PATH" : busybox + " is dynamically linked")}): " +
                $"run ./build.sh Setup, or apt-get install {Package}");
        }

        return busybox;
    }

    public static async Task<MemoryStream> CreateAsync(string busybox, CancellationToken cancellationToken)
    {
        var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            await writer.WriteEntryAsync(Directory("bin/", DirectoryMode), cancellationToken);
            await writer.WriteEntryAsync(Directory("tmp/", DirectoryMode | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite | UnixFileMode.StickyBit), cancellationToken);
            var binary = new FileStream(busybox, FileMode.Open, FileAccess.Read);
            await using (binary)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = DirectoryMode, DataStream = binary };
                await writer.WriteEntryAsync(entry, cancellationToken);
            }

            foreach (var applet in Applets)
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" }, cancellationToken);
            }
        }

        tar.Position = 0;
        return tar;
    }

    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static PaxTarEntry Directory(string name, UnixFileMode mode) => new(TarEntryType.Directory, name) { Mode = mode };

    // A dynamically linked busybox would find no libc in an image that holds nothing else.
    private static bool IsStatic(string path)
    {
        using var file = File.OpenRead(path);
        var header = new byte[64];
        file.ReadExactly(header);
        var programHeaders = BitConverter.ToInt64(header, 32);
        var count = BitConverter.ToUInt16(header, 56);
        var entrySize = BitConverter.ToUInt16(header, 54);
        var entry = new byte[4];
        for (var i = 0; i < count; i++)
        {
            file.Position = programHeaders + (i * entrySize);
            file.ReadExactly(entry);
            if (BitConverter.ToUInt32(entry) == 3)
            {
                return false; // PT_INTERP: needs a dynamic loader
            }
        }

        return true;
    }
}
