using IncidentTelemetry.Dashboards.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace IncidentTelemetry.Dashboards.Tests;

public sealed class ProvisioningTests
{
    [Fact]
    public void ProvisioningFile_Parsed_DeclaresOneFileProvider()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(Repository.File("dashboards", "provisioning", "dashboards.yaml")))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        Assert.Equal("1", ((YamlScalarNode)root["apiVersion"]).Value);
        var provider = (YamlMappingNode)Assert.Single((YamlSequenceNode)root["providers"]);
        Assert.Equal("file", ((YamlScalarNode)provider["type"]).Value);
        var path = ((YamlScalarNode)((YamlMappingNode)provider["options"])["path"]).Value;
        Assert.False(string.IsNullOrWhiteSpace(path));
    }
}
