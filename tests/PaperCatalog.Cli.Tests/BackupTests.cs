using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Tests;

namespace PaperCatalog.Cli.Tests;

/// <summary><c>catalog backup</c> and <c>catalog restore</c> as real processes, against a store that is being written.</summary>
public sealed class BackupTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "catalog.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task<T> QueryAsync<T>(string db, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        return await connection.ExecuteScalarAsync<T>(sql) ?? throw new InvalidOperationException(sql);
    }

    [Fact]
    public async Task ABackupTakenDuringWrites_RestoresToASoundStore_HoldingAConsistentSnapshot()
    {
        _temp.Write("README.md", GeneratedLists.Build(3000, 6, 0));
        Assert.Equal(0, (await RunAsync(_temp.Path, "import", "README.md", "--db", "live.db")).Code);
        var live = _temp.File("live.db");

        // A writer adds numbered audit rows, one transaction each, all through the backup.
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            await using var connection = new SqliteConnection($"Data Source={live};Pooling=False;Default Timeout=30");
            await connection.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                await connection.ExecuteAsync("INSERT INTO audit_log (at, moderator, action, target) VALUES ('2026-12-01T00:00:00Z', 'writer', 'test', @n);", new { n = (written + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) });
                written++;
            }
        });
        while (Volatile.Read(ref written) < 50) await Task.Delay(10);
        var backup = await RunAsync(_temp.Path, "backup", "snapshot.db", "--db", "live.db");
        var duringBackup = Volatile.Read(ref written);
        while (Volatile.Read(ref written) < duringBackup + 50) await Task.Delay(10);
        await stop.CancelAsync();
        await writer;

        Assert.True(backup.Code == 0, backup.Err);
        Assert.Contains("Backed up", backup.Out);
        var snapshot = _temp.File("snapshot.db");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(snapshot));
        Assert.False(File.Exists(snapshot + ".partial"));

        // Restored over the live store (which went on changing after the backup) and into a new file.
        foreach (var target in new[] { "live.db", "fresh.db" })
        {
            var restored = await RunAsync(_temp.Path, "restore", "snapshot.db", "--db", target);
            Assert.True(restored.Code == 0, restored.Err);
            var path = _temp.File(target);
            Assert.Equal("ok", await QueryAsync<string>(path, "PRAGMA integrity_check;"));
            Assert.Equal(3000L, await QueryAsync<long>(path, "SELECT count(*) FROM papers;"));
            // A consistent snapshot: rows 1..k with no gap, taken somewhere inside the writes.
            var rows = await QueryAsync<long>(path, "SELECT count(*) FROM audit_log WHERE moderator = 'writer';");
            var highest = await QueryAsync<long>(path, "SELECT coalesce(max(CAST(target AS INTEGER)), 0) FROM audit_log WHERE moderator = 'writer';");
            Assert.Equal(rows, highest);
            Assert.InRange(rows, 50, written - 50);
        }
    }

    [Fact]
    public async Task RestoringSomethingThatIsNotABackup_SaysWhy_AndLeavesTheStoreAsItWas()
    {
        _temp.Write("README.md", Lists.OneTopic(Lists.Mqa, Lists.Gqa));
        Assert.Equal(0, (await RunAsync(_temp.Path, "import", "README.md", "--db", "live.db")).Code);
        var before = await File.ReadAllBytesAsync(_temp.File("live.db"));
        _temp.Write("junk.db", "this is not a database at all, just text that looks nothing like SQLite's header");
        var (code, _, err) = await RunAsync(_temp.Path, "restore", "junk.db", "--db", "live.db");
        Assert.Equal(1, code);
        Assert.Contains("nothing was restored", err);
        Assert.Contains("junk.db", err);
        Assert.Equal(before, await File.ReadAllBytesAsync(_temp.File("live.db")));
        var missing = await RunAsync(_temp.Path, "restore", "absent.db", "--db", "live.db");
        Assert.Equal(1, missing.Code);
        Assert.Contains("there is no backup", missing.Err);
    }
}
