using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Cairn.Hosting;
using Cairn.Programs;
using Xunit;

namespace Cairn.Runtime.Tests;

/// <summary>ExternalProgram.Run with real programs (the shell), and the identities of the programs steps declare.</summary>
[Collection("external programs")]
public sealed class ExternalProgramTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-programs-").FullName;

    public void Dispose()
    {
        RunningStep.Enter(null);
        SiteConfiguration.Current = null!; // back to $CAIRN_SITE's, or the default
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Files_environment_and_standard_input_reach_the_program_and_what_it_prints_and_keeps_comes_back()
    {
        ProgramResult result = ExternalProgram.Run(
            "sh",
            ["-c", "cat deck/in.txt > out.txt; echo \"$GREETING\" >> out.txt; cat >> out.txt; echo done; echo careful >&2"],
            files: new Dictionary<string, string> { ["deck/in.txt"] = "abc\n" },
            keep: ["out.txt"],
            environment: new Dictionary<string, string> { ["GREETING"] = "hello" },
            standardInput: "from stdin\n");

        Assert.Equal("abc\nhello\nfrom stdin\n", result.Text("out.txt"));
        Assert.Equal("done\n", result.StandardOutput);
        Assert.Equal("careful\n", result.StandardError);
        Assert.Throws<KeyNotFoundException>(() => result.Text("deck/in.txt"));
    }

    [Fact]
    public void A_file_a_native_library_holds_open_is_not_passed_on_to_the_program()
    {
        // As Arrow holds a Parquet shard while it writes it.
        string shard = Path.Combine(_directory, "shard.parquet.tmp");
        using var file = new NativeFile(shard);
        Assert.Equal(shard, new FileInfo($"/proc/self/fd/{file.Descriptor}").LinkTarget);

        ProgramResult result = ExternalProgram.Run("sh", ["-c", "ls -l /proc/self/fd/"]);

        Assert.DoesNotContain(shard, result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("pipe:", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_close_range_each_descriptor_is_marked_close_on_exec_one_by_one()
    {
        using var file = new NativeFile(Path.Combine(_directory, "shard.h5"));
        // fdinfo's flags are octal; O_CLOEXEC is 02000000.
        long Flags() => Convert.ToInt64(File.ReadAllLines($"/proc/self/fdinfo/{file.Descriptor}").Single(l => l.StartsWith("flags:", StringComparison.Ordinal))[6..].Trim(), 8);
        Assert.Equal(0, Flags() & 0x80000);

        Cairn.Native.InheritedDescriptors.MarkEachCloseOnExec();

        Assert.Equal(0x80000, Flags() & 0x80000);
    }

    /// <summary>A file opened as a native library opens it, by open(2) without O_CLOEXEC; closed when disposed.</summary>
    private sealed class NativeFile : IDisposable
    {
        public NativeFile(string path)
        {
            Descriptor = Open(path, 0x41 /* O_WRONLY | O_CREAT */, 0x180 /* 0600 */);
            Assert.True(Descriptor > 2, "open() failed");
        }

        public int Descriptor { get; }

        public void Dispose() => _ = Close(Descriptor);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open")]
        private static extern int Open(string path, int flags, int mode);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close")]
        private static extern int Close(int descriptor);
    }

    [Fact]
    public void The_program_works_in_a_fresh_directory_on_the_scratch_space_which_is_removed_after()
    {
        string scratch = Path.Combine(_directory, "scratch");
        Directory.CreateDirectory(scratch);
        Environment.SetEnvironmentVariable("CAIRN_SCRATCH", scratch);
        try
        {
            string first = ExternalProgram.Run("sh", ["-c", "pwd; ls -A"]).StandardOutput;
            string second = ExternalProgram.Run("sh", ["-c", "pwd"]).StandardOutput;

            Assert.StartsWith(scratch + "/cairn-", first, StringComparison.Ordinal);
            Assert.Single(first.Trim().Split('\n')); // it was empty
            Assert.NotEqual(first.Split('\n')[0], second.Trim());
            Assert.Empty(Directory.GetFileSystemEntries(scratch));
        }
        finally
        {
            Environment.SetEnvironmentVariable("CAIRN_SCRATCH", null);
        }
    }

    [Fact]
    public void A_program_that_exits_with_another_code_fails_with_the_tail_of_its_standard_error()
    {
        var error = Assert.Throws<ProgramFailedException>(() => ExternalProgram.Run("sh", ["-c", "for i in $(seq 1 15); do echo line $i >&2; done; exit 3"]));

        Assert.Equal(3, error.ExitCode);
        Assert.StartsWith("'sh' exited with code 3; its standard error ends: line 6\n", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("line 15", error.StandardErrorTail, StringComparison.Ordinal);
        Assert.DoesNotContain("line 5\n", error.StandardErrorTail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_that_does_not_write_a_kept_file_fails()
    {
        var error = Assert.Throws<ProgramFailedException>(() => ExternalProgram.Run("sh", ["-c", "echo nothing written >&2"], keep: ["out.txt"]));

        Assert.Equal("'sh' exited with code 0 but did not write 'out.txt', which the step keeps; its standard error ends: nothing written", error.Message);
    }

    [Fact]
    public void A_program_past_its_timeout_is_killed_with_the_processes_it_started()
    {
        string pid = Path.Combine(_directory, "pid");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<ProgramTimeoutException>(() =>
            ExternalProgram.Run("sh", ["-c", $"sleep 60 & echo $! > {pid}; echo waiting >&2; wait"], timeout: TimeSpan.FromSeconds(1)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"it took {clock.Elapsed}");
        Assert.Null(error.ExitCode);
        Assert.Equal("'sh' ran longer than its timeout of 1 s and was killed; its standard error ends: waiting", error.Message);
        string sleeper = File.ReadAllText(pid).Trim();
        Assert.True(SpinWait.SpinUntil(() => !IsRunning(sleeper), TimeSpan.FromSeconds(10)), $"the program's child {sleeper} still runs");
    }

    [Fact]
    public void An_infinite_or_very_long_timeout_is_no_timeout()
    {
        Assert.Equal("done", ExternalProgram.Run("sh", ["-c", "sleep 0.3; echo done"], timeout: Timeout.InfiniteTimeSpan).StandardOutput.Trim());
        Assert.Equal("done", ExternalProgram.Run("sh", ["-c", "sleep 0.3; echo done"], timeout: TimeSpan.MaxValue).StandardOutput.Trim());
    }

    [Fact]
    public void A_program_whose_step_the_run_gives_up_on_is_killed_with_the_processes_it_started()
    {
        string pid = Path.Combine(_directory, "pid");
        using var givenUp = new CancellationTokenSource();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Task running = Task.Run(() =>
        {
            RunningStep.Enter(ProgramIdentity.Apply(Step([new StepProgram("sh", null)])), givenUp.Token);
            ExternalProgram.Run("sh", ["-c", $"sleep 60 & echo $! > {pid}; wait"], timeout: TimeSpan.FromMinutes(5));
        });
        Assert.True(SpinWait.SpinUntil(() => File.Exists(pid) && File.ReadAllText(pid).Trim().Length > 0, TimeSpan.FromSeconds(10)));
        givenUp.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => running.GetAwaiter().GetResult());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"it took {clock.Elapsed}");
        string sleeper = File.ReadAllText(pid).Trim();
        Assert.True(SpinWait.SpinUntil(() => !IsRunning(sleeper), TimeSpan.FromSeconds(10)), $"the program's child {sleeper} still runs");
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/tmp/absolute.txt")]
    public void A_file_outside_the_working_directory_is_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => ExternalProgram.Run("true", files: new Dictionary<string, string> { [name] = "x" }));
        Assert.Throws<ArgumentException>(() => ExternalProgram.Run("true", keep: [name]));
    }

    [Fact]
    public void Inside_a_step_only_a_program_it_declares_runs_and_it_is_the_file_that_was_hashed()
    {
        string tool = Executable("tool", "#!/bin/sh\necho from the hashed file\n");
        RunningStep.Enter(ProgramIdentity.Apply(Step([new StepProgram(tool, null)])));

        Assert.Equal("from the hashed file\n", ExternalProgram.Run(tool).StandardOutput);
        var error = Assert.Throws<InvalidOperationException>(() => ExternalProgram.Run("sh", ["-c", "true"]));
        Assert.Equal("step 'Relax' runs 'sh' but does not declare it; add [Runs(\"sh\")] to the step, so that the program counts in its results' keys", error.Message);
    }

    [Fact]
    public void A_programs_file_and_version_count_in_the_steps_code_hash_and_source()
    {
        string one = Executable("one", "#!/bin/sh\necho version 1\n");
        string same = Executable("same", "#!/bin/sh\necho version 1\n");
        string other = Executable("other", "#!/bin/sh\necho version 2\n");

        StepInfo plain = Step([]);
        StepInfo withOne = ProgramIdentity.Apply(Step([new StepProgram(one, null)]));
        StepInfo withSame = ProgramIdentity.Apply(Step([new StepProgram(same, null)]));
        StepInfo withOther = ProgramIdentity.Apply(Step([new StepProgram(other, null)]));
        StepInfo versioned = ProgramIdentity.Apply(Step([new StepProgram(one, "--version")]));

        Assert.Same(plain, ProgramIdentity.Apply(plain));
        Assert.Same(withOne, ProgramIdentity.Apply(withOne));
        Assert.Equal(4, new[] { plain.CodeHash, withOne.CodeHash, withOther.CodeHash, versioned.CodeHash }.Distinct().Count());
        Assert.Matches("^[0-9a-f]{32}$", withOne.CodeHash);
        // The same content at another path is another program: the path is part of what ran.
        Assert.NotEqual(withOne.CodeHash, withSame.CodeHash);
        string sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(one)));
        Assert.EndsWith($"\n// runs {one}: {one} sha256 {sha256}\n", withOne.Source, StringComparison.Ordinal);
        Assert.EndsWith($"// {one} version: version 1\n", versioned.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_pattern_keeps_only_its_match_so_that_what_differs_between_machines_does_not_count()
    {
        // As LAMMPS's -h: the version, then the kernel of the machine it runs on.
        string hostA = Executable("lmp-a", "#!/bin/sh\necho 'Simulator - 29 Sep 2021 - Update 2'\necho 'OS: Linux 6.1.0-13-amd64'\n");
        string hostB = Executable("lmp-b", "#!/bin/sh\necho 'Simulator - 29 Sep 2021 - Update 2'\necho 'OS: Linux 6.18.44'\n");
        const string Pattern = "Simulator - (.+)";

        Assert.Equal("29 Sep 2021 - Update 2", ProgramIdentity.VersionOf(hostA, "-h", Pattern));
        Assert.Equal(ProgramIdentity.VersionOf(hostA, "-h", Pattern), ProgramIdentity.VersionOf(hostB, "-h", Pattern));
        Assert.NotEqual(ProgramIdentity.VersionOf(hostA, "-h", null), ProgramIdentity.VersionOf(hostB, "-h", null));
        // Without a group, the whole match.
        Assert.Equal("Update 2", ProgramIdentity.VersionOf(hostA, "-h", @"Update \d+"));
        StepInfo step = ProgramIdentity.Apply(Step([new StepProgram(hostA, "-h", Pattern)]));
        Assert.EndsWith($"// {hostA} version: 29 Sep 2021 - Update 2\n", step.Source, StringComparison.Ordinal);

        var none = Assert.Throws<CairnException>(() => ProgramIdentity.VersionOf(hostA, "-h", "Version (\\d+)"));
        Assert.Equal(ExitCodes.MissingProgram, none.ExitCode);
        Assert.Equal($"'{hostA} -h' printed nothing that matches VersionPattern \"Version (\\d+)\"; fix the pattern in the step's [Runs] (it printed: Simulator - 29 Sep 2021 - Update 2)", none.Message);
        var malformed = Assert.Throws<CairnException>(() => ProgramIdentity.VersionOf(hostA, "-h", "Simulator ("));
        Assert.Equal(ExitCodes.MissingProgram, malformed.ExitCode);
        Assert.StartsWith($"[Runs] of '{hostA}': VersionPattern \"Simulator (\" is not a regular expression", malformed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_programs_a_steps_code_text_names_are_read_back_from_it_as_they_were_found()
    {
        string one = Executable("one", "#!/bin/sh\necho solver 3.1\necho built with MPI\n");
        string two = Executable("two", "#!/bin/sh\nexit 0\n");
        StepInfo step = ProgramIdentity.Apply(Step([new StepProgram(one, "-v"), new StepProgram("cairn-no-such-program", null), new StepProgram(two, null)]));

        IReadOnlyList<ProgramIdentity> read = ProgramIdentity.InSource(step.Source);

        // The one not found has no file to name, and is left out; a version of two lines comes back whole.
        Assert.Equal([one, two], read.Select(p => p.Program));
        Assert.Equal(step.ResolvedPrograms!.Where(p => p.Found).Select(p => p with { Version = p.Version?.Trim() }), read);
        Assert.Equal("solver 3.1\nbuilt with MPI", read[0].Version);
        Assert.Null(read[1].Version);
        Assert.Empty(ProgramIdentity.InSource("public static A Step(P p) => new(p.I);\n// runs: nothing\n"));
    }

    [Fact]
    public void A_program_that_is_not_found_stops_what_needs_its_hash_with_its_own_exit_code()
    {
        var graph = new CampaignGraph("c", "P", [Step([new StepProgram("cairn-no-such-program", null)])]);
        Assert.Contains("// runs cairn-no-such-program: not found", graph.Steps[0].Source, StringComparison.Ordinal);

        var error = Assert.Throws<CairnException>(() => ProgramIdentity.EnsureFound(graph));
        Assert.Equal(ExitCodes.MissingProgram, error.ExitCode);
        Assert.Equal("step 'Relax' runs 'cairn-no-such-program', but it is not on PATH: install it or load its module, or name its path in [Runs]", error.Message);
        ProgramIdentity.EnsureFound(new CampaignGraph("c", "P", [Step([new StepProgram("sh", null)])]));
    }

    [Fact]
    public void An_mpi_steps_program_starts_through_the_sites_launcher_with_its_ranks_and_cores()
    {
        string launcher = Executable("launcher", "#!/bin/sh\necho launched \"$@\"\n");
        string tool = Executable("solver", "#!/bin/sh\necho never run directly\n");
        string site = Path.Combine(_directory, "site.toml");
        File.WriteAllText(site, $"# the site\n\nlauncher = \"{launcher} -n {{ranks}} --cpus-per-rank {{cores}}\"\n");
        SiteConfiguration.Current = SiteConfiguration.Load(site);
        RunningStep.Enter(ProgramIdentity.Apply(Step([new StepProgram(tool, null)]) with { Resources = new StepResources(2, 3, 0) }));

        Assert.Equal($"launched -n 3 --cpus-per-rank 2 {tool} in.txt\n", ExternalProgram.Run(tool, ["in.txt"]).StandardOutput);

        // A step without ranks runs its program directly, whatever the site.
        RunningStep.Enter(ProgramIdentity.Apply(Step([new StepProgram(tool, null)])));
        Assert.Equal("never run directly\n", ExternalProgram.Run(tool).StandardOutput);
    }

    [Fact]
    public void A_launcher_that_cannot_start_is_said_with_the_site_file_to_change()
    {
        string site = Path.Combine(_directory, "site.toml");
        File.WriteAllText(site, "launcher = \"/nonexistent/mpirun -np {ranks}\"\n");
        SiteConfiguration.Current = SiteConfiguration.Load(site);
        RunningStep.Enter(ProgramIdentity.Apply(Step([new StepProgram("sh", null)]) with { Resources = new StepResources(1, 2, 0) }));

        var error = Assert.Throws<InvalidOperationException>(() => ExternalProgram.Run("sh", ["-c", "true"]));
        Assert.StartsWith("cannot start the site's MPI launcher '/nonexistent/mpirun' (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"); set launcher in the site file ({site}), or install Open MPI", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("launcher = \"mpirun -np 4\"", "line 1: the launcher \"mpirun -np 4\" has no {ranks}")]
    [InlineData("# ok\nlaunch = \"mpirun -np {ranks}\"", "line 2: unknown key 'launch'; a site file sets launcher = \"...\"")]
    public void A_malformed_site_file_is_refused_with_its_line(string text, string error)
    {
        string site = Path.Combine(_directory, "site.toml");
        File.WriteAllText(site, text);

        var refused = Assert.Throws<CairnException>(() => SiteConfiguration.Load(site));
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.StartsWith($"site file {site}, {error}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CairnException>(() => SiteConfiguration.Load(Path.Combine(_directory, "none.toml"))).ExitCode);
        Assert.Equal(["mpirun", "-np", "{ranks}"], SiteConfiguration.DefaultLauncher.Split(' '));
    }

    private static StepInfo Step(IReadOnlyList<StepProgram> programs) =>
        new("Relax", "relaxed", "Steps.Relax", "Relaxed", StepKind.PerPoint, 1, "0123456789abcdef0123456789abcdef", true, []) { Source = "code\n", Programs = programs };

    private string Executable(string name, string script)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static bool IsRunning(string pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);
}
