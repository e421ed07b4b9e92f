using System;
using System.IO;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>
/// Cairn packed into a temporary feed, and fresh console projects that reference only that package,
/// as a user's would. A unique package version keeps NuGet's cache from serving an old build.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    public PackageFeed()
    {
        Directory = Shell.TempDirectory("cairn-feed");
        Version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var (exit, stdout, stderr) = Shell.Run("dotnet", Shell.RepositoryRoot,
            "pack", "src/Package/Cairn.Package.csproj", "-c", "Release", "-o", Directory, $"-p:PackageVersion={Version}");
        Assert.True(exit == 0, Shell.Tail(stdout + stderr));
        Package = Path.Combine(Directory, $"Cairn.{Version}.nupkg");
    }

    public string Directory { get; }

    public string Version { get; }

    public string Package { get; }

    /// <summary>A console project referencing only the package from the feed, with the given Program.cs.</summary>
    public string UserProject(string program)
    {
        string project = Shell.TempDirectory("cairn-user");
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="cairn" value="{Directory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(project, "User.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Cairn" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), program);
        return project;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
