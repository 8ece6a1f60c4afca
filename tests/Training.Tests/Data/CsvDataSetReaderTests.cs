using Training.Data;
using Training.Tests.Support;

namespace Training.Tests.Data;

public sealed class CsvDataSetReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string content)
    {
        var path = _dir.File("data.csv");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Reads_label_column_by_name_and_the_rest_as_features()
    {
        var path = Write("x1,label,x2\n0.5,1,2\n-1e2,0,3.25\n");

        var data = await CsvDataSetReader.ReadAsync(path, new CsvDataSetOptions { LabelColumnName = "label" });

        Assert.Equal(2, data.FeatureCount);
        Assert.Equal([0.5f, 2f, -100f, 3.25f], data.Features.ToArray());
        Assert.Equal([1, 0], data.Labels.ToArray());
        Assert.Equal(["0", "1"], data.ClassNames);
        Assert.Single(data.Sources);
    }

    [Fact]
    public async Task Reads_headerless_file_with_label_index_and_class_names()
    {
        var path = Write("1,2,cat\n3,4,dog\n\n5,6,1\n");

        var data = await CsvDataSetReader.ReadAsync(path, new CsvDataSetOptions { HasHeader = false, LabelColumnIndex = 2, ClassNames = ["cat", "dog"] });

        Assert.Equal([0, 1, 1], data.Labels.ToArray());
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], data.Features.ToArray());
    }

    [Fact]
    public async Task Wrong_column_count_names_the_line()
    {
        var path = Write("label,a,b\n0,1,2\n1,3\n");

        var error = await Assert.ThrowsAsync<DataSetFormatException>(() => CsvDataSetReader.ReadAsync(path, new CsvDataSetOptions { LabelColumnName = "label" }));

        Assert.Equal("data.csv line 3: expected 3 columns, found 2.", error.Message);
    }

    [Fact]
    public async Task Bad_number_names_line_and_column()
    {
        var path = Write("label,a,b\n0,1,2\n\n1,3,abc\n");

        var error = await Assert.ThrowsAsync<DataSetFormatException>(() => CsvDataSetReader.ReadAsync(path, new CsvDataSetOptions { LabelColumnName = "label" }));

        Assert.Equal("data.csv line 4, column 3 ('b'): 'abc' is not a finite number.", error.Message);
    }

    [Fact]
    public async Task Non_finite_number_is_rejected()
    {
        var path = Write("0,NaN\n1,2\n");

        var error = await Assert.ThrowsAsync<DataSetFormatException>(() => CsvDataSetReader.ReadAsync(path, new CsvDataSetOptions { HasHeader = false }));

        Assert.Equal("data.csv line 1, column 2: 'NaN' is not a finite number.", error.Message);
    }

    [Fact]
    public async Task Bad_label_names_line_and_column()
    {
        var path = Write("y,a\n0,1\n-1,2\n");

        var error = await Assert.ThrowsAsync<DataSetFormatException>(() => CsvDataSetReader.ReadAsync(path, new CsvDataSetOptions()));

        Assert.Equal("data.csv line 3, column 1 ('y'): label '-1' is not a non-negative integer.", error.Message);
    }

    [Fact]
    public async Task Unknown_label_column_lists_the_header()
    {
        var path = Write("a,b\n1,2\n");

        var error = await Assert.ThrowsAsync<DataSetFormatException>(() => CsvDataSetReader.ReadAsync(path, new CsvDataSetOptions { LabelColumnName = "label" }));

        Assert.Equal("data.csv: no column named 'label' in the header (columns: a, b).", error.Message);
    }

    [Fact]
    public async Task Header_only_file_has_no_rows()
    {
        var path = Write("label,a\n");

        var error = await Assert.ThrowsAsync<DataSetFormatException>(() => CsvDataSetReader.ReadAsync(path, new CsvDataSetOptions()));

        Assert.Equal("data.csv: no data rows.", error.Message);
    }
}
