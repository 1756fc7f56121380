using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Tests.Support;

/// <summary>Every log line the in-memory test cluster's silos write, formatted, for tests that check what is logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public static ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (category.StartsWith("Journeys", StringComparison.Ordinal) || category.StartsWith("System.Net.Http", StringComparison.Ordinal) || exception is not null)
                Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
