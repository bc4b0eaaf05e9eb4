using System.Data.Common;
using Platform.Tracking.Model;

namespace Platform.Tracking.Storage.Sql;

/// <summary>
/// One keyset-paged SELECT. The caller adds sort keys to <see cref="Paging"/> and WHERE conditions whose values it
/// binds to the command, and <see cref="ReadPageAsync{T}"/> runs the query and returns the page with its next token.
/// </summary>
internal sealed class KeysetPageQuery
{
    private readonly DbCommand _command;
    private readonly List<string> _conditions = [];

    /// <param name="command">The command that runs the query. Bind each condition's values to it before the read.</param>
    public KeysetPageQuery(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);

        _command = command;
    }

    public KeysetPaging Paging { get; } = new();

    /// <summary>Adds a WHERE condition, joined to the others with AND.</summary>
    public void Where(string condition) => _conditions.Add(condition);

    /// <summary>
    /// Reads up to <paramref name="maxResults"/> rows that follow <paramref name="pageToken"/> in the order of
    /// <see cref="Paging"/>. The query fetches one row more than a page, so a next token is returned only when a
    /// next page exists. The token stores the sort values of the page's last row.
    /// </summary>
    /// <param name="columns">The SQL select list that <paramref name="readRow"/> reads. The sort keys follow it.</param>
    /// <param name="fromSql">The SQL after FROM: the table with its alias, and any joins.</param>
    /// <param name="pageToken">The token of the previous page, or null or empty for the first page.</param>
    /// <param name="maxResults">The page size.</param>
    /// <param name="readRow">Reads one row at the reader's current position.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<Page<T>> ReadPageAsync<T>(
        string columns,
        string fromSql,
        string? pageToken,
        int maxResults,
        Func<DbDataReader, T> readRow,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readRow);

        if (!string.IsNullOrEmpty(pageToken))
        {
            _conditions.Add(Paging.AfterTokenSql(_command, pageToken));
        }

        var where = _conditions.Count > 0 ? $" WHERE {string.Join(" AND ", _conditions)}" : string.Empty;
        _command.CommandText =
            $"SELECT {columns}, {Paging.SelectSql()} FROM {fromSql}{where} " +
            $"ORDER BY {Paging.OrderBySql()} LIMIT {_command.Bind(maxResults + 1L)}";

        var rows = new List<T>();
        string? lastToken = null;
        string? nextToken = null;
        await using var reader = await _command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (rows.Count == maxResults)
            {
                // The query asked for one row more than a page, so a next page exists.
                nextToken = lastToken;
                break;
            }

            rows.Add(readRow(reader));
            if (rows.Count == maxResults)
            {
                // The sort keys are the last columns of the select list, after the columns that readRow reads.
                lastToken = Paging.CreateToken(reader, reader.FieldCount - Paging.Keys.Count);
            }
        }

        return new Page<T>(rows, nextToken);
    }
}
