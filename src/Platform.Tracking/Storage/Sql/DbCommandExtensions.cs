using System.Data;
using System.Data.Common;

namespace Platform.Tracking.Storage.Sql;

/// <summary>Small helpers so every value reaches SQL as a bound parameter, never as spliced text.</summary>
internal static class DbCommandExtensions
{
    public static DbCommand CreateCommand(this DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        // The SQLite provider accepts only its own transaction type, so a gated one hands over what it wraps.
        command.Transaction = transaction is Sqlite.GatedSqliteTransaction gated ? gated.Inner : transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Adds <paramref name="value"/> as a new parameter and returns its placeholder, for example <c>@p3</c>.</summary>
    public static string Bind(this DbCommand command, object? value)
    {
        var name = "@p" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        command.Add(name, value);
        return name;
    }

    public static DbParameter Add(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        switch (value)
        {
            case string:
                parameter.DbType = DbType.String;
                break;
            case long:
                parameter.DbType = DbType.Int64;
                break;
            case int:
                parameter.DbType = DbType.Int32;
                break;
            case double:
                parameter.DbType = DbType.Double;
                break;
        }

        command.Parameters.Add(parameter);
        return parameter;
    }

    public static long? GetNullableInt64(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static string? GetNullableString(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
