using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>The samples a newcomer runs first, built and run as separate processes.</summary>
[Collection("builds")]
public sealed class SampleTests
{
    private static (string Host, string Store) Build(string sample)
    {
        string project = Path.Combine(Shell.RepositoryRoot, "samples", sample);
        string output = Shell.TempDirectory($"cairn-{sample}");
        var build = Shell.Run("dotnet", project, "build", "-c", "Release", "-o", output);
        Assert.True(build.Exit == 0, Shell.Tail(build.Out + build.Err));
        return (Path.Combine(output, sample + ".dll"), Path.Combine(output, "store"));
    }

    [Fact]
    public void Hubbard_ground_states_have_the_free_fermion_energy_and_less_double_occupancy_as_U_grows()
    {
        var (host, store) = Build("Hubbard");
        string directory = Path.GetDirectoryName(host)!;
        var run = Shell.Run("dotnet", directory, host, "run", "--store", store, "--json");
        Assert.True(run.Exit == 0, run.Err);

        var obs = Shell.Run("dotnet", directory, host, "results", "obs", "--store", store, "--format", "json", "--with-points");
        Assert.True(obs.Exit == 0, obs.Err);
        using JsonDocument doc = JsonDocument.Parse(obs.Out);
        var rows = doc.RootElement.EnumerateArray().Select(r => (
            U: r.GetProperty("Coupling").GetDouble(),
            L: r.GetProperty("Size").GetInt32(),
            E: r.GetProperty("EnergyPerSite").GetDouble(),
            D: r.GetProperty("DoubleOccupancy").GetDouble())).ToArray();
        Assert.Equal(99, rows.Length);

        // U = 0 on the 4-site ring: band -2cos(k), k in {0, ±pi/2, pi}; two fermions per spin fill
        // k = 0 (-2) and one of ±pi/2 (0), so E0 = -4, i.e. -1 per site.
        Assert.Equal(-1, rows.Single(r => r.L == 4 && r.U == 0).E, 9);

        // With repulsion, fewer doubly occupied sites than the uncorrelated 1/4 ...
        Assert.All(rows.Where(r => r.U > 0), r => Assert.InRange(r.D, 0, 0.25));

        // ... and monotonically fewer as U grows (the 6-site ring is a closed shell: a unique ground state).
        double[] six = rows.Where(r => r.L == 6).OrderBy(r => r.U).Select(r => r.D).ToArray();
        Assert.Equal(33, six.Length);
        Assert.Equal(0.25, six[0], 9);
        for (int i = 1; i < six.Length; i++)
        {
            Assert.True(six[i] < six[i - 1], $"double occupancy rose from {six[i - 1]} to {six[i]}");
        }
    }

    [Fact]
    public void Eigen_ensemble_has_the_GOE_level_spacing_ratio()
    {
        var (host, store) = Build("Eigen");
        var run = Shell.Run("dotnet", Path.GetDirectoryName(host)!, host, "run", "--store", store);
        Assert.True(run.Exit == 0, run.Err);

        var result = Shell.Run("dotnet", Path.GetDirectoryName(host)!, host, "results", "ensemble", "--store", store, "--format", "json");
        using JsonDocument doc = JsonDocument.Parse(result.Out);
        JsonElement ensemble = doc.RootElement[0];
        Assert.Equal(400, ensemble.GetProperty("Samples").GetInt32());
        // <r> = 0.5307 for the GOE (Atas et al. 2013), 0.3863 for Poisson levels.
        Assert.InRange(ensemble.GetProperty("MeanSpacingRatio").GetDouble(), 0.52, 0.54);
    }
}
