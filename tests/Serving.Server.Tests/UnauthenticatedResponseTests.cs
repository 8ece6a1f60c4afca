using Serving.Server.Security;

namespace Serving.Server.Tests;

public sealed class UnauthenticatedResponseTests
{
    [Theory]
    [InlineData("plain 'ASCII' <key>: kept", "plain 'ASCII' <key>: kept")]
    [InlineData("100% sure", "100%25 sure")]
    [InlineData("größe\nzwei", "gr%C3%B6%C3%9Fe%0Azwei")]
    public void The_gRPC_message_is_percent_encoded_as_gRPC_specifies(string message, string expected)
    {
        Assert.Equal(expected, UnauthenticatedResponse.PercentEncode(message));
    }
}
