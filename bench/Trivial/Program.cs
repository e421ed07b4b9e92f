using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

// The benchmark host: the generated CLI, plus the process's peak resident set and CPU time on
// stderr at exit (a supervised run prints both of its processes').
int code = Campaign.Run(args);
string? peak = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
Console.Error.WriteLine($"peak-rss-kib {peak?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]}");
Console.Error.WriteLine(FormattableString.Invariant($"cpu-seconds {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F2}"));
return code;
