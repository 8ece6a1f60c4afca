using Pipeline.IO;

namespace Pipeline.Prerequisites.Tests;

/// <summary>The serving API key per environment (issue #16): generated once and kept owner-only, or given; and its key file.</summary>
public sealed class ServingApiKeyTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _root = Directory.CreateTempSubdirectory("serving-keys-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string At(string relative) => Path.Combine(_root, relative);

    private ServingApiKeyStore Store => new(At("serving-keys"));

    [Fact]
    public async Task A_generated_key_is_32_random_bytes_in_base64url_kept_owner_only_and_reused()
    {
        var first = await Store.LoadOrCreateAsync("local", null, CancellationToken.None);
        var again = await Store.LoadOrCreateAsync("local", null, CancellationToken.None);
        var other = await Store.LoadOrCreateAsync("kubernetes", null, CancellationToken.None);

        Assert.Equal("pipeline-local", first.KeyId);
        Assert.Equal(43, first.Secret.Length); // 32 bytes, base64 without padding
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(first.Secret).Length);
        Assert.Equal(first.Secret, again.Secret);
        Assert.Equal(("pipeline-kubernetes", false), (other.KeyId, other.Secret == first.Secret));
        var file = Store.KeyFile("local");
        Assert.Equal(At("serving-keys/local.key"), file);
        Assert.Equal(first.Secret, File.ReadAllText(file).Trim());
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(file));
        Assert.Equal(OwnerReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Store.Directory));
        // Temp-then-rename leaves nothing else behind.
        Assert.Equal(["kubernetes.key", "local.key"], Directory.GetFiles(Store.Directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task A_given_key_wins_over_the_kept_one_and_is_not_written()
    {
        var kept = await Store.LoadOrCreateAsync("local", null, CancellationToken.None);
        var given = "given-by-ci-" + Guid.NewGuid().ToString("N");

        var key = await Store.LoadOrCreateAsync("local", given, CancellationToken.None);

        Assert.Equal(("pipeline-local", given), (key.KeyId, key.Secret));
        Assert.Equal(kept.Secret, File.ReadAllText(Store.KeyFile("local")).Trim());
        Assert.False(File.Exists(Store.KeyFile("staging")));
        Assert.Equal(given, (await Store.LoadOrCreateAsync("staging", given, CancellationToken.None)).Secret);
        Assert.False(File.Exists(Store.KeyFile("staging")));
    }

    [Fact]
    public async Task A_key_the_server_would_refuse_is_refused_here_without_quoting_it()
    {
        var shortKey = "short-" + Guid.NewGuid().ToString("N")[..5];

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Store.LoadOrCreateAsync("local", shortKey, CancellationToken.None));
        Assert.Contains("at least 16 characters", refused.Message);
        Assert.DoesNotContain(shortKey, refused.Message);
        Assert.Throws<ArgumentException>(() => new ServingApiKey("pipeline-local", "has white space in it"));
        Assert.Throws<ArgumentException>(() => new ServingApiKey("pipeline local", new string('x', 16)));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.LoadOrCreateAsync("../etc", null, CancellationToken.None));

        Directory.CreateDirectory(Store.Directory);
        File.WriteAllText(Store.KeyFile("local"), "tiny\n");
        var broken = await Assert.ThrowsAsync<InvalidDataException>(() => Store.LoadOrCreateAsync("local", null, CancellationToken.None));
        Assert.Contains("Delete it", broken.Message);
        Assert.DoesNotContain("tiny", broken.Message.Replace(Store.KeyFile("local"), ""));
    }

    [Fact]
    public void The_key_file_has_one_id_colon_secret_line_per_key_and_the_key_prints_without_its_secret()
    {
        var a = new ServingApiKey("pipeline-local", "a-secret-of-enough-length");
        var b = new ServingApiKey("ops.team_2", "b-secret-of-enough-length");

        var text = ServingApiKeyFile.Format([a, b]);

        var lines = text.Split('\n');
        Assert.StartsWith("#", lines[0]);
        Assert.Equal(["pipeline-local:a-secret-of-enough-length", "ops.team_2:b-secret-of-enough-length", ""], lines[1..]);
        Assert.Throws<ArgumentException>(() => ServingApiKeyFile.Format([a, new ServingApiKey("pipeline-local", "another-secret-value")]));
        Assert.Throws<ArgumentException>(() => ServingApiKeyFile.Format([]));
        Assert.Equal("pipeline-local:*****", a.ToString());
        Assert.Equal("Bearer a-secret-of-enough-length", a.BearerToken);
    }

    [Fact]
    public async Task The_key_file_is_written_with_its_mode_set_before_it_appears()
    {
        var path = At("mounts/api-keys");
        var key = new ServingApiKey("pipeline-local", "a-secret-of-enough-length");

        await ServingApiKeyFile.WriteAsync(path, [key], OwnerReadWrite, CancellationToken.None);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
        Assert.Equal(ServingApiKeyFile.Format([key]), File.ReadAllText(path));
    }
}
