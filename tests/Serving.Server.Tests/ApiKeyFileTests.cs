using System.Security.Cryptography;
using System.Text;
using Serving.Server.Security;

namespace Serving.Server.Tests;

public sealed class ApiKeyFileTests
{
    private const string Secret = "s3cret-s3cret-s3cret";
    private const string OtherSecret = "another-secret-value-42";

    [Fact]
    public void Keys_are_read_skipping_comments_and_blank_lines_and_Windows_line_ends()
    {
        var result = ApiKeyFile.Parse($"# staging keys\n\npipeline-staging:{Secret}\r\n   \nops.backup_1:{OtherSecret}:with-colon\n");

        Assert.True(result.IsValid, string.Join(" ", result.Errors));
        Assert.Equal(["pipeline-staging", "ops.backup_1"], result.Keys.Select(k => k.Id));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)), result.Keys[0].SecretSha256);
        // Only the first ':' separates: the secret may contain more.
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(OtherSecret + ":with-colon")), result.Keys[1].SecretSha256);
    }

    [Fact]
    public void Every_problem_names_its_line_and_never_the_secret()
    {
        string[] lines =
        [
            "# comment",
            "good:" + Secret,
            Secret,                              // 3: no ':' (someone pasted the bare secret)
            "bad id!:" + OtherSecret,            // 4
            "short:tooShort123",                 // 5
            "spaced:" + OtherSecret + " tail",   // 6
            "good:" + OtherSecret,               // 7: duplicate id
            new string('a', 65) + ":" + OtherSecret, // 8: id too long
        ];

        var result = ApiKeyFile.Parse(string.Join("\n", lines));

        Assert.Equal(
        [
            "line 3: expected <key-id>:<secret> but there is no ':'.",
            "line 4: the key id must be 1-64 characters of A-Z, a-z, 0-9, '_', '.' and '-'.",
            "line 5 (key 'short'): the secret is 11 characters long; use at least 16 (e.g. 32 random bytes in base64url).",
            "line 6 (key 'spaced'): the secret contains whitespace; remove it (a trailing space?).",
            "line 7: key id 'good' is already used on line 2; key ids must be unique.",
            "line 8: the key id must be 1-64 characters of A-Z, a-z, 0-9, '_', '.' and '-'.",
        ], result.Errors);
        foreach (var error in result.Errors)
        {
            Assert.DoesNotContain(Secret, error, StringComparison.Ordinal);
            Assert.DoesNotContain(OtherSecret, error, StringComparison.Ordinal);
            Assert.DoesNotContain("tooShort123", error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n\n")]
    public void A_source_without_keys_is_refused_rather_than_locking_everyone_out(string text)
    {
        var error = Assert.Single(ApiKeyFile.Parse(text).Errors);

        Assert.StartsWith("there are no keys", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_UTF8_is_refused()
    {
        using var directory = new TestSupport.TemporaryDirectory();
        var path = directory.File("keys");
        await File.WriteAllBytesAsync(path, [.. Encoding.UTF8.GetBytes("key:" + Secret + "\n"), 0xC3, 0x28]);

        var content = await ApiKeyFile.ReadAsync(path, CancellationToken.None);

        Assert.Equal(["the file is not UTF-8 text; write it as UTF-8 lines <key-id>:<secret>."], content.Result.Errors);
    }

    [Fact]
    public void The_store_names_the_key_presented_and_refuses_anything_else()
    {
        var store = new ApiKeyStore(Keys($"env-key:{Secret}"), Keys($"file-key:{OtherSecret}"));

        Assert.Equal("env-key", store.Authenticate(Secret));
        Assert.Equal("file-key", store.Authenticate(OtherSecret));
        Assert.Null(store.Authenticate(Secret[..^1]));
        Assert.Null(store.Authenticate(Secret + "x"));
        Assert.Null(store.Authenticate(""));
        // The hash of a secret is not the secret.
        Assert.Null(store.Authenticate(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)))));
    }

    [Fact]
    public void Replacing_the_file_keys_keeps_the_environment_keys_and_refuses_an_id_used_by_both()
    {
        var store = new ApiKeyStore(Keys($"env-key:{Secret}"), Keys($"file-key:{OtherSecret}"));

        Assert.Empty(store.ReplaceFileKeys(Keys("rotated:rotated-secret-0123456789")));
        Assert.Equal("env-key", store.Authenticate(Secret));
        Assert.Equal("rotated", store.Authenticate("rotated-secret-0123456789"));
        Assert.Null(store.Authenticate(OtherSecret));

        var errors = store.ReplaceFileKeys(Keys("env-key:yet-another-secret-value"));

        Assert.Equal(["key id 'env-key' is in both SERVING_API_KEYS and the key file; key ids must be unique."], errors);
        Assert.Equal("rotated", store.Authenticate("rotated-secret-0123456789"));
        Assert.Null(store.Authenticate("yet-another-secret-value"));
    }

    private static IReadOnlyList<ApiKey> Keys(string text)
    {
        var result = ApiKeyFile.Parse(text);
        Assert.True(result.IsValid, string.Join(" ", result.Errors));
        return result.Keys;
    }
}
