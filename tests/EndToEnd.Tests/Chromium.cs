using System;
using System.IO;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>Debian's headless Chromium (package <c>chromium</c>, installed by the README's test command), run as the tests' user may be root.</summary>
internal static class Chromium
{
    private static string[] Flags(int width, int height) =>
        ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", $"--window-size={width},{height}"];

    /// <summary>The page's DOM after Chromium loaded and laid it out, as it serializes it.</summary>
    public static string Dom(string file)
    {
        var run = Shell.Run(Program, Path.GetDirectoryName(file)!, [.. Flags(1280, 1000), "--dump-dom", new Uri(file).AbsoluteUri]);
        Assert.True(run.Exit == 0 && run.Out.Length > 0, $"chromium --dump-dom failed ({run.Exit}): {Shell.Tail(run.Err)}");
        return run.Out;
    }

    /// <summary>A PNG of the top <paramref name="height"/> pixels of the page, <paramref name="width"/> wide.</summary>
    public static void Screenshot(string file, string png, int width, int height)
    {
        var run = Shell.Run(Program, Path.GetDirectoryName(file)!, [.. Flags(width, height), "--screenshot=" + png, new Uri(file).AbsoluteUri]);
        Assert.True(run.Exit == 0 && File.Exists(png), $"chromium --screenshot failed ({run.Exit}): {Shell.Tail(run.Err)}");
    }

    private static string Program =>
        File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
        : throw new InvalidOperationException("Chromium is missing: the README's test command (./run-tests) installs the Debian package chromium");
}
