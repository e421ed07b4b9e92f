using System;
using System.IO;
using System.Linq;

// The benchmark host: the generated CLI, plus the process's peak resident set on stderr at exit.
int code = Campaign.Run(args);
string? peak = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
Console.Error.WriteLine($"peak-rss-kib {peak?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]}");
return code;
