using System.Net.Sockets;
using Npgsql;
using Orleans.Runtime;
using Orleans.Serialization;

namespace Journeys.Orleans.Silo.Ingestion;

/// <summary>
/// Tells a storage outage (the database is away, a call timed out) from a fault, so that ingestion can answer 503 with
/// <c>Retry-After</c> — which Segment's clients retry — instead of a 500 they may drop.
/// </summary>
public static class StorageOutage
{
    /// <summary>The <c>Retry-After</c> given while storage is away, in seconds.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>True when <paramref name="exception"/>, or anything it wraps, says storage or the cluster is unreachable.</summary>
    public static bool IsOutage(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.TryPop(out var current))
        {
            if (IsOutageItself(current)) return true;
            if (current is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions) pending.Push(inner);
            else if (current.InnerException is { } inner)
                pending.Push(inner);
        }
        return false;
    }

    private static bool IsOutageItself(Exception exception) => exception switch
    {
        // A PostgreSQL error with a server answer is an outage only for connection, shutdown and resource states;
        // anything else (a constraint, bad data) is a fault that a retry will not fix.
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal),
        NpgsqlException => true,
        SocketException or TimeoutException => true,
        SiloUnavailableException or OrleansMessageRejectionException => true,
        // Orleans sends an exception type it cannot serialize as this fallback, keeping the type's name.
        UnavailableExceptionFallbackException fallback => fallback.ExceptionType is { } type
            && (type.Contains("Npgsql", StringComparison.Ordinal) || type.Contains("Socket", StringComparison.Ordinal)
                || type.Contains("Timeout", StringComparison.Ordinal)),
        _ => false,
    };
}
