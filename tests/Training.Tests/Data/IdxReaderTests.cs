using System.Buffers.Binary;
using System.IO.Compression;
using Training.Data;
using Training.Tests.Support;

namespace Training.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Idx(int magic, int[] dims, byte[] payload)
    {
        var bytes = new byte[4 + 4 * dims.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (var i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        payload.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(content);
        return output.ToArray();
    }

    private string Write(string name, byte[] content)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Theory]
    [InlineData("images.idx3", "labels.idx1")]
    [InlineData("images.idx3.gz", "labels.idx1.gz")]
    public async Task Written_files_read_back_identically(string imagesName, string labelsName)
    {
        var pixels = Enumerable.Range(0, 3 * 4 * 5).Select(i => (byte)(i * 7)).ToArray();
        byte[] labels = [2, 0, 1];
        await IdxWriter.WriteImagesAsync(_dir.File(imagesName), 3, 4, 5, pixels);
        await IdxWriter.WriteLabelsAsync(_dir.File(labelsName), labels);

        var images = await IdxReader.ReadImagesAsync(_dir.File(imagesName));
        var readLabels = await IdxReader.ReadLabelsAsync(_dir.File(labelsName));

        Assert.Equal((3, 4, 5), (images.Count, images.Rows, images.Columns));
        Assert.Equal(pixels, images.Pixels);
        Assert.Equal(labels, readLabels.Labels);
        Assert.Equal(imagesName.EndsWith(".gz"), IdxFormat.IsGzip(File.ReadAllBytes(_dir.File(imagesName))));
    }

    [Fact]
    public async Task Gzip_is_detected_by_content_not_by_name()
    {
        var payload = new byte[] { 1, 2, 3 };
        var gzippedWithoutSuffix = Write("labels-plain-name", Gzip(Idx(IdxFormat.LabelsMagic, [3], payload)));
        var plainWithGzSuffix = Write("labels.gz", Idx(IdxFormat.LabelsMagic, [3], payload));

        Assert.Equal(payload, (await IdxReader.ReadLabelsAsync(gzippedWithoutSuffix)).Labels);
        Assert.Equal(payload, (await IdxReader.ReadLabelsAsync(plainWithGzSuffix)).Labels);
    }

    [Fact]
    public async Task Lineage_records_path_size_and_sha256_of_the_file_on_disk()
    {
        var content = Gzip(Idx(IdxFormat.LabelsMagic, [2], [0, 1]));
        var path = Write("l.gz", content);

        var source = (await IdxReader.ReadLabelsAsync(path)).Source;

        Assert.Equal(Path.GetFullPath(path), source.Path);
        Assert.Equal(content.Length, source.Bytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), source.Sha256);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Truncated_payload_names_file_expected_count_and_bytes_held(bool gzip)
    {
        var content = Idx(IdxFormat.LabelsMagic, [10], new byte[7]);
        var path = Write(gzip ? "t10k-labels-idx1-ubyte.gz" : "t10k-labels-idx1-ubyte", gzip ? Gzip(content) : content);

        var error = await Assert.ThrowsAsync<DataSetFormatException>(() => IdxReader.ReadLabelsAsync(path));

        Assert.Equal($"{Path.GetFileName(path)}: expected 10 labels, file holds 7 bytes of payload (truncated?).", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Trailing_bytes_after_the_payload_are_an_error(bool gzip)
    {
        var content = Idx(IdxFormat.ImagesMagic, [2, 2, 2], new byte[8 + 3]);
        var path = Write("images", gzip ? Gzip(content) : content);

        var error = await Assert.ThrowsAsync<DataSetFormatException>(() => IdxReader.ReadImagesAsync(path));

        Assert.Contains("images: expected 2 images of 2x2 = 8 bytes of payload, but 3 more byte(s) follow them", error.Message);
    }

    [Fact]
    public async Task A_label_file_read_as_images_reports_bad_magic()
    {
        var path = Write("train-labels-idx1-ubyte", Idx(IdxFormat.LabelsMagic, [1], [0]));

        var error = await Assert.ThrowsAsync<DataSetFormatException>(() => IdxReader.ReadImagesAsync(path));

        Assert.StartsWith("train-labels-idx1-ubyte: bad magic number 0x00000801; an IDX image file starts with 0x00000803", error.Message);
        Assert.Contains("declares 1 dimension(s); image files have 3", error.Message);
    }

    [Fact]
    public async Task Non_byte_element_type_is_rejected()
    {
        var path = Write("floats", Idx(0x00000D01, [1], [0, 0, 0, 0]));

        var error = await Assert.ThrowsAsync<DataSetFormatException>(() => IdxReader.ReadLabelsAsync(path));

        Assert.Contains("bad magic number 0x00000D01", error.Message);
        Assert.Contains("not an unsigned-byte IDX file", error.Message);
    }

    [Theory]
    [InlineData(0, "ends inside the 4-byte IDX magic number")]
    [InlineData(6, "ends inside the header, at dimension 1 of 3")]
    [InlineData(13, "ends inside the header, at dimension 3 of 3")]
    public async Task Truncated_header_is_reported(int keepBytes, string expected)
    {
        var path = Write("short", Idx(IdxFormat.ImagesMagic, [1, 1, 1], [9])[..keepBytes]);

        var error = await Assert.ThrowsAsync<DataSetFormatException>(() => IdxReader.ReadImagesAsync(path));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Negative_dimension_is_rejected()
    {
        var path = Write("negative", Idx(IdxFormat.LabelsMagic, [-5], []));

        var error = await Assert.ThrowsAsync<DataSetFormatException>(() => IdxReader.ReadLabelsAsync(path));

        Assert.Contains("dimension 1 is -5", error.Message);
    }

    [Fact]
    public async Task Cut_gzip_stream_is_an_error_naming_the_file()
    {
        var gz = Gzip(Idx(IdxFormat.LabelsMagic, [1000], Enumerable.Range(0, 1000).Select(i => (byte)(i * 31)).ToArray()));
        var path = Write("cut.gz", gz[..(gz.Length / 2)]);

        var error = await Assert.ThrowsAsync<DataSetFormatException>(() => IdxReader.ReadLabelsAsync(path));

        Assert.StartsWith("cut.gz: ", error.Message);
    }

    [Fact]
    public async Task Missing_file_is_reported_with_its_path()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => IdxReader.ReadLabelsAsync(_dir.File("absent")));
        Assert.Contains("absent", error.Message);
    }

    [Fact]
    public async Task Image_and_label_count_mismatch_names_both_files()
    {
        var images = await IdxReader.ReadImagesAsync(Write("imgs", Idx(IdxFormat.ImagesMagic, [3, 1, 2], new byte[6])));
        var labels = await IdxReader.ReadLabelsAsync(Write("lbls", Idx(IdxFormat.LabelsMagic, [2], [0, 1])));

        var error = Assert.Throws<DataSetFormatException>(() => ImageDataSet.Create(images, labels, ["a", "b"]));

        Assert.Equal("imgs holds 3 images but lbls holds 2 labels; the files do not belong together.", error.Message);
    }

    [Fact]
    public async Task Label_outside_the_classes_is_rejected()
    {
        var images = await IdxReader.ReadImagesAsync(Write("imgs", Idx(IdxFormat.ImagesMagic, [2, 1, 1], [0, 0])));
        var labels = await IdxReader.ReadLabelsAsync(Write("lbls", Idx(IdxFormat.LabelsMagic, [2], [1, 10])));

        var error = Assert.Throws<DataSetFormatException>(() => ImageDataSet.Create(images, labels, FashionMnist.ClassNames));

        Assert.Equal("lbls: label 10 of sample 1 is outside 0..9.", error.Message);
    }

    [Fact]
    public async Task Image_data_set_keeps_raw_pixel_values_and_both_sources()
    {
        var images = await IdxReader.ReadImagesAsync(Write("imgs", Idx(IdxFormat.ImagesMagic, [2, 1, 2], [0, 255, 17, 3])));
        var labels = await IdxReader.ReadLabelsAsync(Write("lbls", Idx(IdxFormat.LabelsMagic, [2], [1, 0])));

        var data = ImageDataSet.Create(images, labels, ["a", "b"]);

        Assert.Equal([0f, 255f, 17f, 3f], data.Features.ToArray());
        Assert.Equal([1, 0], data.Labels.ToArray());
        Assert.Equal([images.Source, labels.Source], data.Sources);
    }
}
