using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Cairn.EndToEnd.Tests;

/// <summary>The samples a newcomer runs first, built and run as separate processes.</summary>
[Collection("builds")]
public sealed class SampleTests
{
    private static readonly System.Collections.Generic.Dictionary<string, string> s_hosts = [];

    /// <summary>The sample's host, built once for all the tests of this class, and a new store path beside it for this test.</summary>
    private static (string Host, string Store) Build(string sample)
    {
        lock (s_hosts)
        {
            if (!s_hosts.TryGetValue(sample, out string? host))
            {
                string project = Path.Combine(Shell.RepositoryRoot, "samples", sample);
                string output = Shell.TempDirectory($"cairn-{sample}");
                var build = Shell.Run("dotnet", project, "build", "-c", "Release", "-o", output);
                Assert.True(build.Exit == 0, Shell.Tail(build.Out + build.Err));
                s_hosts[sample] = host = Path.Combine(output, sample + ".dll");
            }

            return (host, Path.Combine(Path.GetDirectoryName(host)!, "store-" + System.Guid.NewGuid().ToString("N")));
        }
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

        // U = 0 on the 4-site ring, antiperiodic (L/2 even: the closed-shell boundary condition):
        // band -2cos(k), k in {+-pi/4, +-3pi/4}; two fermions per spin fill +-pi/4, so
        // E0 = 2 * 2 * -2cos(pi/4) = -4 sqrt(2), i.e. -sqrt(2) per site.
        Assert.Equal(-Math.Sqrt(2), rows.Single(r => r.L == 4 && r.U == 0).E, 9);
        // ... and on the 6-site ring, periodic: k in {0, +-pi/3, +-2pi/3, pi}; three per spin fill
        // 0 and +-pi/3: E0 = 2 * (-2 - 1 - 1) = -8, -4/3 per site.
        Assert.Equal(-4.0 / 3, rows.Single(r => r.L == 6 && r.U == 0).E, 9);

        // With repulsion, fewer doubly occupied sites than the uncorrelated 1/4 ...
        Assert.All(rows.Where(r => r.U > 0), r => Assert.InRange(r.D, 0, 0.25));

        // ... and monotonically fewer as U grows, at every length (each a closed shell: a unique ground state).
        foreach (int length in new[] { 4, 6, 8 })
        {
            double[] d = rows.Where(r => r.L == length).OrderBy(r => r.U).Select(r => r.D).ToArray();
            Assert.Equal(33, d.Length);
            Assert.Equal(0.25, d[0], 9);
            for (int i = 1; i < d.Length; i++)
            {
                Assert.True(d[i] < d[i - 1], $"L = {length}: double occupancy rose from {d[i - 1]} to {d[i]}");
            }
        }
    }

    [Fact]
    public void Fluid_runs_LAMMPS_on_two_MPI_ranks_per_point_and_its_dilute_gas_follows_the_second_virial_coefficient()
    {
        var (host, store) = Build("Fluid");
        string directory = Path.GetDirectoryName(host)!;
        string site = Path.Combine(Shell.RepositoryRoot, "samples", "Fluid", "site.toml");
        var run = Shell.Run("dotnet", directory, host, "run", "--store", store, "--site", site, "--json");
        Assert.True(run.Exit == 0, run.Err);
        using (JsonDocument report = JsonDocument.Parse(run.Out))
        {
            Assert.Equal(9, report.RootElement.GetProperty("steps").GetProperty("Simulate").GetProperty("computed").GetInt64());
        }

        using JsonDocument doc = Results(host, store, "thermo", "--with-points");
        var rows = doc.RootElement.EnumerateArray().Select(r => (
            T: r.GetProperty("point.Temperature").GetDouble(),
            Rho: r.GetProperty("Density").GetDouble(),
            Measured: r.GetProperty("Temperature").GetDouble(),
            P: r.GetProperty("Pressure").GetDouble(),
            Z: r.GetProperty("Compressibility").GetDouble())).ToArray();
        Assert.Equal(9, rows.Length);
        // The thermostat holds each state's temperature.
        Assert.All(rows, r => Assert.InRange(r.Measured / r.T, 0.98, 1.02));
        // The dilute gas: Z = P / (rho T) = 1 + B2(T) rho + O(rho^2), with B2 of the Lennard-Jones
        // potential integrated here. Attraction wins at these temperatures: Z < 1.
        foreach (var gas in rows.Where(r => r.Rho == 0.1))
        {
            Assert.InRange(gas.Z, 1 + (SecondVirial(gas.T) * gas.Rho) - 0.06, 1 + (SecondVirial(gas.T) * gas.Rho) + 0.06);
            Assert.True(gas.Z < 1, $"Z = {gas.Z} at T = {gas.T}");
        }

        // The pressure rises with temperature along each isochore, and with density along each isotherm.
        using JsonDocument lines = Results(host, store, "isochores");
        Assert.Equal(3, lines.RootElement.GetArrayLength());
        Assert.All(lines.RootElement.EnumerateArray(), line =>
        {
            double[] p = [.. line.GetProperty("Pressures").EnumerateArray().Select(x => x.GetDouble())];
            Assert.Equal(p.Order(), p);
            Assert.True(line.GetProperty("Slope").GetDouble() > 0);
        });
        foreach (double t in new[] { 1.5, 2.0, 3.0 })
        {
            double[] p = [.. rows.Where(r => r.T == t).OrderBy(r => r.Rho).Select(r => r.P)];
            Assert.Equal(p.Order(), p);
        }

        // g(r), computed in C# from the configurations LAMMPS wrote: no pair inside the repulsive
        // core, its first peak near the potential's minimum 2^(1/6), higher the denser the fluid, and
        // 1 far away. In the dilute gas g = exp(-u/T) to first order: its peak bin holds that
        // Boltzmann factor averaged over the bin (within 15%: the next order in the density).
        using JsonDocument pairs = Results(host, store, "structure", "--with-points");
        var peaks = new System.Collections.Generic.List<(double T, double Rho, double Height)>();
        foreach (JsonElement r in pairs.RootElement.EnumerateArray())
        {
            double t = r.GetProperty("Temperature").GetDouble();
            double rho = r.GetProperty("Density").GetDouble();
            double[] radii = [.. r.GetProperty("Radii").EnumerateArray().Select(x => x.GetDouble())];
            double[] g = [.. r.GetProperty("Pair").EnumerateArray().Select(x => x.GetDouble())];
            double peak = r.GetProperty("PeakRadius").GetDouble();
            double height = r.GetProperty("PeakHeight").GetDouble();
            Assert.All(radii.Zip(g).Where(p => p.First < 0.8), p => Assert.True(p.Second < 0.01, $"g({p.First}) = {p.Second} inside the core"));
            Assert.InRange(peak, 1.0, 1.25);
            Assert.InRange(g.TakeLast(10).Average(), 0.97, 1.03);
            if (rho == 0.1)
            {
                double width = radii[1] - radii[0];
                Assert.InRange(height / BoltzmannOverShell(t, peak - (width / 2), peak + (width / 2)), 0.85, 1.15);
            }

            peaks.Add((t, rho, height));
        }

        foreach (double t in new[] { 1.5, 2.0, 3.0 })
        {
            double[] heights = [.. peaks.Where(p => p.T == t).OrderBy(p => p.Rho).Select(p => p.Height)];
            Assert.Equal(heights.Order(), heights);
        }

        // LAMMPS's log and its 11 configurations are in the product's shard; extracted, each log shows the two ranks.
        string extracted = Path.Combine(directory, "extracted-" + System.Guid.NewGuid().ToString("N"));
        var extract = Shell.Run("dotnet", directory, host, "results", "md", "--store", store, "--extract", extracted);
        Assert.True(extract.Exit == 0, extract.Err);
        Assert.Single(Directory.GetFiles(Path.Combine(store, "results", "md")));
        string[] logs = Directory.GetFiles(extracted, "*.Log");
        Assert.Equal(9, logs.Length);
        Assert.All(logs, log =>
        {
            string text = File.ReadAllText(log);
            Assert.StartsWith("LAMMPS (", text, StringComparison.Ordinal);
            Assert.Contains("on 2 procs for 2000 steps with 2048 atoms", text, StringComparison.Ordinal);
            Assert.Equal(11, File.ReadLines(Path.ChangeExtension(log, ".Frames")).Count(line => line.Trim() == "2048"));
        });

        // The provenance names lmp's file and hash, as sha256sum prints it, and LAMMPS's version alone.
        string lmp = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "lmp")).First(File.Exists);
        string sha256 = Shell.Run("sha256sum", directory, lmp).Out.Split(' ')[0];
        string point = Path.GetFileNameWithoutExtension(logs[0]);
        var provenance = Shell.Run("dotnet", directory, host, "provenance", "md", "--point", point, "--store", store);
        Assert.True(provenance.Exit == 0, provenance.Err);
        Assert.Contains($"// runs lmp: {lmp} sha256 {sha256}", provenance.Out, StringComparison.Ordinal);
        string version = Regex.Match(provenance.Out, "// lmp version: (.+)").Groups[1].Value.Trim();
        Assert.Matches(@"^\d{1,2} \w{3} \d{4}", version);
        Assert.Contains("Simulator - " + version, Shell.Run(lmp, directory, "-h").Out, StringComparison.Ordinal);

        // Run again: nothing is computed.
        var again = Shell.Run("dotnet", directory, host, "run", "--store", store, "--site", site, "--json");
        Assert.True(again.Exit == 0, again.Err);
        using JsonDocument cached = JsonDocument.Parse(again.Out);
        Assert.All(cached.RootElement.GetProperty("steps").EnumerateObject(), step => Assert.Equal(0, step.Value.GetProperty("computed").GetInt64()));
    }

    /// <summary>A product's current results as JSON (<c>results PRODUCT --format json</c>), after asserting that the verb succeeded.</summary>
    private static JsonDocument Results(string host, string store, string product, params string[] options)
    {
        var results = Shell.Run("dotnet", Path.GetDirectoryName(host)!, [host, "results", product, "--store", store, "--format", "json", .. options]);
        Assert.True(results.Exit == 0, results.Err);
        return JsonDocument.Parse(results.Out);
    }

    /// <summary>exp(-u(r)/T) of the Lennard-Jones potential averaged over the shell from <paramref name="inner"/> to <paramref name="outer"/> (weighted by r^2).</summary>
    private static double BoltzmannOverShell(double temperature, double inner, double outer)
    {
        double weighted = 0;
        double volume = 0;
        for (int i = 0; i < 1000; i++)
        {
            double r = inner + ((i + 0.5) * (outer - inner) / 1000);
            weighted += r * r * Math.Exp(-4 * (Math.Pow(r, -12) - Math.Pow(r, -6)) / temperature);
            volume += r * r;
        }

        return weighted / volume;
    }

    /// <summary>The second virial coefficient of the Lennard-Jones potential (sigma = epsilon = 1), -2 pi int (exp(-u/T) - 1) r^2 dr, by the midpoint rule.</summary>
    private static double SecondVirial(double temperature)
    {
        const double Step = 1e-4;
        double sum = 0;
        for (double r = Step / 2; r < 20; r += Step)
        {
            double u = 4 * (Math.Pow(r, -12) - Math.Pow(r, -6));
            sum += (Math.Exp(-u / temperature) - 1) * r * r * Step;
        }

        return -2 * Math.PI * sum;
    }

    [Fact]
    public void Hubbard_report_opens_in_Chromium_with_the_progress_table_and_a_plot_of_every_result_of_each_numeric_property()
    {
        var (host, store) = Build("Hubbard");
        string directory = Path.GetDirectoryName(host)!;
        var run = Shell.Run("dotnet", directory, host, "run", "--store", store, "--quiet");
        Assert.True(run.Exit == 0, run.Err);
        var report = Shell.Run("dotnet", directory, host, "report", "--store", store, "--x", "Coupling", "--series", "Size");
        Assert.True(report.Exit == 0, report.Err);
        string page = Path.Combine(store, "report.html");

        // The DOM as the browser built it from the page.
        string dom = Chromium.Dom(page);
        var progress = Regex.Matches(dom, "<tr data-step=\"(?<step>\\w+)\" data-done=\"(?<done>\\d+)\" data-total=\"(?<total>\\d+)\"")
            .Select(m => $"{m.Groups["step"].Value} {m.Groups["done"].Value}/{m.Groups["total"].Value}");
        Assert.Equal(["Solve 99/99", "Measure 99/99", "Curve 3/3", "Extrapolate 1/1"], progress);

        // The numeric properties of the per-point products, as 'results' prints them: a plot for each.
        var expected = new System.Collections.Generic.List<string>();
        foreach (string product in new[] { "psi", "obs" })
        {
            var results = Shell.Run("dotnet", directory, host, "results", product, "--store", store, "--format", "json");
            using JsonDocument rows = JsonDocument.Parse(results.Out);
            Assert.Equal(99, rows.RootElement.GetArrayLength());
            expected.AddRange(rows.RootElement[0].EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).Select(p => $"{product}.{p.Name}"));
        }

        Assert.Equal(5, expected.Count); // Energy, ExcitedEnergy; EnergyPerSite, DoubleOccupancy, Gap (the amplitudes are arrays)
        var plots = Regex.Matches(dom, "<figure class=\"result\" (?<attributes>[^>]*)>(?<inner>.*?)</figure>", RegexOptions.Singleline).ToArray();
        Assert.Equal(expected, plots.Select(p => Attribute(p, "product") + "." + Attribute(p, "property")));
        foreach (Match plot in plots)
        {
            Assert.Equal("99", Attribute(plot, "points"));

            // A marker per result, and one per chain length in the legend (4, 6, 8).
            Assert.Equal(99 + 3, Regex.Matches(plot.Groups["inner"].Value, "<ellipse").Count);
        }

        // The curves the reductions made: per chain length (a curve per group) and the extrapolation
        // (one curve; its Sizes array is not as long as its Couplings, so not drawn).
        var curves = Regex.Matches(dom, "<figure class=\"curve\" (?<attributes>[^>]*)>(?<inner>.*?)</figure>", RegexOptions.Singleline).ToArray();
        Assert.Equal(
            ["curves.Gaps", "curves.DoubleOccupancies", "curves.EnergiesPerSite", "limit.GapAtInfinity", "limit.Slope"],
            curves.Select(p => Attribute(p, "product") + "." + Attribute(p, "property")));
        Assert.All(curves, c => Assert.Equal("Couplings", Attribute(c, "x")));
        foreach (Match curve in curves.Take(3))
        {
            Assert.Equal("99", Attribute(curve, "points"));
            Assert.Equal(99 + 3, Regex.Matches(curve.Groups["inner"].Value, "<ellipse").Count);
            Assert.Contains("Size = 8", curve.Groups["inner"].Value, System.StringComparison.Ordinal);
        }

        Assert.All(curves.Skip(3), c => Assert.Equal(33, Regex.Matches(c.Groups["inner"].Value, "<ellipse").Count));

        // What a person sees: a picture of the page, as wide as the browser window.
        string png = System.Environment.GetEnvironmentVariable("CAIRN_REPORT_SCREENSHOT") ?? Path.Combine(store, "report.png");
        Chromium.Screenshot(page, png, 1280, 4800);
        byte[] image = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, image[..4]);
        Assert.Equal(1280, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(image[16..20]));
        Assert.Equal(4800, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(image[20..24]));
    }

    [Fact]
    public void Hubbard_notebook_runs_headless_and_plots_a_curve_per_chain_length_from_the_typed_readers()
    {
        var (host, _) = Build("Hubbard");
        // The notebook's layout: beside it the host's build (bin/Release/net10.0) and the store (campaign);
        // inside the repository, whose tool manifest names dotnet-repl (the README's test command restores it).
        string notebook = Path.Combine(System.AppContext.BaseDirectory, "notebook-" + System.Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(notebook, "bin", "Release"));
            Directory.CreateSymbolicLink(Path.Combine(notebook, "bin", "Release", "net10.0"), Path.GetDirectoryName(host)!);
            File.Copy(Path.Combine(Shell.RepositoryRoot, "samples", "Hubbard", "Hubbard.ipynb"), Path.Combine(notebook, "Hubbard.ipynb"));
            var run = Shell.Run("dotnet", notebook, host, "run", "--quiet");
            Assert.True(run.Exit == 0, run.Err);

            // Every cell, run headless as a person's notebook runs them (relative paths from the notebook's directory).
            var repl = Shell.Run("dotnet", notebook, "tool", "run", "dotnet-repl", "--", "--run", "Hubbard.ipynb", "--exit-after-run", "--output-path", "out.ipynb");
            string output = Path.Combine(notebook, "out.ipynb");
            Assert.True(File.Exists(output), $"dotnet-repl wrote no notebook ({repl.Exit}): {Shell.Tail(repl.Out + repl.Err)}");

            using JsonDocument executed = JsonDocument.Parse(File.ReadAllText(output));
            JsonElement[] outputs = [.. executed.RootElement.GetProperty("cells").EnumerateArray()
                .Where(c => c.GetProperty("cell_type").GetString() == "code")
                .SelectMany(c => c.GetProperty("outputs").EnumerateArray())];
            Assert.DoesNotContain(outputs, o => o.GetProperty("output_type").GetString() == "error");
            Assert.True(repl.Exit == 0, $"dotnet-repl failed ({repl.Exit}): {Shell.Tail(repl.Out + repl.Err)}");
            string text = string.Concat(outputs.Where(o => o.TryGetProperty("text", out _)).Select(o => Text(o.GetProperty("text"))));
            Assert.Contains("99 of 99 points have their observables", text, System.StringComparison.Ordinal);

            // The plot: a marker per point and one per chain length in the legend.
            string svg = Assert.Single(outputs.Where(o => o.TryGetProperty("data", out JsonElement data) && data.TryGetProperty("image/svg+xml", out _))
                .Select(o => Text(o.GetProperty("data").GetProperty("image/svg+xml"))));
            Assert.Equal(99 + 3, Regex.Matches(svg, "<ellipse").Count);
            Assert.All(new[] { 4, 6, 8 }, size => Assert.Matches($"<text[^>]*>\\s*L = {size}\\s*</text>", svg));
        }
        finally
        {
            Directory.Delete(notebook, recursive: true);
        }
    }

    /// <summary>A notebook output's value: a string, or the lines of one.</summary>
    private static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? string.Concat(value.EnumerateArray().Select(l => l.GetString())) : value.GetString()!;

    private static string Attribute(Match figure, string name) =>
        Regex.Match(figure.Groups["attributes"].Value, $"data-{name}=\"(?<value>[^\"]*)\"").Groups["value"].Value;

    [Fact]
    public void Hubbard_wavefunctions_are_hdf5_that_h5py_h5ls_and_h5dump_read_as_cairn_does()
    {
        var (host, store) = Build("Hubbard");
        string directory = Path.GetDirectoryName(host)!;
        var run = Shell.Run("dotnet", directory, host, "run", "--store", store);
        Assert.True(run.Exit == 0, run.Err);
        string shard = Assert.Single(Directory.GetFiles(Path.Combine(store, "results", "psi")));
        Assert.EndsWith(".h5", shard, System.StringComparison.Ordinal);
        Assert.All(Directory.GetFiles(Path.Combine(store, "results", "obs")), f => Assert.EndsWith(".parquet", f, System.StringComparison.Ordinal));

        var cairn = Shell.Run("dotnet", directory, host, "results", "psi", "--store", store, "--format", "json");
        Assert.True(cairn.Exit == 0, cairn.Err);
        using JsonDocument expected = JsonDocument.Parse(cairn.Out);
        var byPoint = expected.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("point_id").GetString()!);
        Assert.Equal(99, byPoint.Count);

        // h5py: the amplitudes of the three chain lengths differ in length, so they are ragged.
        var h5py = Shell.Run("/usr/bin/python3", directory, Path.Combine(Shell.RepositoryRoot, "tests", "tools", "h5-read.py"), shard);
        Assert.True(h5py.Exit == 0, "h5py could not read the shard (the README's test command installs python3-h5py): " + h5py.Err);
        using JsonDocument file = JsonDocument.Parse(h5py.Out);
        JsonElement sets = file.RootElement.GetProperty("datasets");
        string[] ids = Values(sets, "psi/point_id").Select(v => v.GetString()!).ToArray();
        double[] energies = Values(sets, "psi/Energy").Select(v => v.GetDouble()).ToArray();
        double[] amplitudes = Values(sets, "psi/Amplitudes/values").Select(v => v.GetDouble()).ToArray();
        long[] offsets = Values(sets, "psi/Amplitudes/offsets").Select(v => v.GetInt64()).ToArray();
        Assert.Equal(99, ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            JsonElement row = byPoint[ids[i]];
            Assert.Equal(row.GetProperty("Energy").GetDouble(), energies[i]);
            Assert.Equal(row.GetProperty("Amplitudes").EnumerateArray().Select(a => a.GetDouble()), amplitudes[(int)offsets[i]..(int)offsets[i + 1]]);
        }

        var h5ls = Shell.Run("h5ls", directory, "-r", shard);
        Assert.True(h5ls.Exit == 0, h5ls.Out + h5ls.Err);
        Assert.Matches(@"/psi/Amplitudes/values\s+Dataset \{\d+/Inf\}", h5ls.Out);
        Assert.Matches(@"/psi/Energy\s+Dataset \{99/Inf\}", h5ls.Out);

        var h5dump = Shell.Run("h5dump", directory, "-A", "-g", "/psi", shard);
        Assert.True(h5dump.Exit == 0, h5dump.Out + h5dump.Err);
        Assert.Contains("ATTRIBUTE \"cairn.step\"", h5dump.Out, System.StringComparison.Ordinal);
        Assert.Contains("\"Solve\"", h5dump.Out, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Hubbard_as_a_user_runs_it_in_its_directory_edited_and_rebuilt_twice_recomputes_the_edited_step_only()
    {
        // A copy beside the sample, so that it builds against the same sources with its default
        // store, ./campaign, inside the project directory, as ./run-sample leaves it.
        string source = Path.Combine(Shell.RepositoryRoot, "samples", "Hubbard");
        string project = Path.Combine(Shell.RepositoryRoot, "samples", $"HubbardDay2-{System.Guid.NewGuid():N}");
        Directory.CreateDirectory(project);
        try
        {
            foreach (string file in Directory.GetFiles(source).Where(f => f.EndsWith(".cs", System.StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(project, Path.GetFileName(file)));
            }

            File.Copy(Path.Combine(source, "Hubbard.csproj"), Path.Combine(project, "Hubbard.csproj"));
            JsonElement Run()
            {
                var build = Shell.Run("dotnet", project, "build", "-c", "Release", "-nologo", "-v", "q");
                Assert.True(build.Exit == 0, Shell.Tail(build.Out + build.Err));
                var run = Shell.Run("dotnet", project, "run", "-c", "Release", "--no-build", "--", "run", "--json");
                Assert.True(run.Exit == 0, run.Out + run.Err);
                return JsonDocument.Parse(run.Out).RootElement;
            }

            static long Computed(JsonElement report, string step) => report.GetProperty("steps").GetProperty(step).GetProperty("computed").GetInt64();

            JsonElement first = Run();
            Assert.Equal(99, Computed(first, "Solve"));
            string steps = Path.Combine(project, "Steps.cs");
            foreach ((string from, string to) in new[] { ("doubles / p.Size,", "doubles / p.Size * 1.0,"), ("doubles / p.Size * 1.0,", "1.0 * doubles / p.Size,") })
            {
                string text = File.ReadAllText(steps);
                Assert.Contains(from, text, System.StringComparison.Ordinal);
                File.WriteAllText(steps, text.Replace(from, to, System.StringComparison.Ordinal));
                JsonElement edited = Run();
                Assert.Equal(0, Computed(edited, "Solve"));
                Assert.Equal(99, Computed(edited, "Measure"));
                Assert.Equal(3, Computed(edited, "Curve"));
                Assert.Equal(1, Computed(edited, "Extrapolate"));
            }

            Assert.Empty(Directory.GetFiles(Path.Combine(project, "campaign"), "*.cs", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    private static System.Collections.Generic.IEnumerable<JsonElement> Values(JsonElement sets, string name) =>
        sets.GetProperty(name).GetProperty("values").EnumerateArray();

    [Fact]
    public void Without_the_HDF5_library_an_hdf5_campaign_stops_with_one_line_saying_how_to_install_it()
    {
        var (host, store) = Build("Eigen");
        var run = Shell.RunWith([("CAIRN_HDF5_LIBRARY", "/nonexistent/libhdf5.so")], "dotnet", Path.GetDirectoryName(host)!, host, "run", "--store", store, "--format", "hdf5");

        Assert.Equal(6, run.Exit);
        Assert.Equal("error: CAIRN_HDF5_LIBRARY=/nonexistent/libhdf5.so does not name a loadable HDF5 library; point it at libhdf5.so (or unset it)", run.Err.TrimEnd());
        Assert.False(Directory.Exists(store), "the store was created although the run could not start");
    }

    [Fact]
    public void Eigen_ensemble_has_the_GOE_level_spacing_ratio()
    {
        var (host, store) = Build("Eigen");
        // Eigen stores only Parquet: it runs even where no HDF5 library can be loaded.
        var run = Shell.RunWith([("CAIRN_HDF5_LIBRARY", "/nonexistent/libhdf5.so")], "dotnet", Path.GetDirectoryName(host)!, host, "run", "--store", store);
        Assert.True(run.Exit == 0, run.Err);

        var result = Shell.Run("dotnet", Path.GetDirectoryName(host)!, host, "results", "ensemble", "--store", store, "--format", "json");
        using JsonDocument doc = JsonDocument.Parse(result.Out);
        JsonElement ensemble = doc.RootElement[0];
        Assert.Equal(400, ensemble.GetProperty("Samples").GetInt32());
        // <r> = 0.5307 for the GOE (Atas et al. 2013), 0.3863 for Poisson levels.
        Assert.InRange(ensemble.GetProperty("MeanSpacingRatio").GetDouble(), 0.52, 0.54);
    }
}
