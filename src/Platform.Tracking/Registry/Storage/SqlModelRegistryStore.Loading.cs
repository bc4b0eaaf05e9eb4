using System.Data.Common;
using Platform.Tracking.Model;
using Platform.Tracking.Registry.Model;
using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Registry.Storage;

internal sealed partial class SqlModelRegistryStore
{
    /// <summary>A registered_models row before its tags, aliases and latest versions are attached.</summary>
    private sealed record ModelRow(string Name, long CreationTime, long LastUpdatedTime, string? Description);

    /// <summary>Runs <paramref name="command"/>, which selects <see cref="VersionColumns"/> first, and attaches tags and aliases.</summary>
    private async Task<List<ModelVersion>> ReadVersionsAsync(DbConnection connection, DbCommand command, int? limit, CancellationToken cancellationToken)
    {
        var versions = new List<ModelVersion>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while ((limit is null || versions.Count < limit) && await reader.ReadAsync(cancellationToken))
            {
                versions.Add(ReadVersion(reader));
            }
        }

        return await AttachVersionDetailsAsync(connection, versions, cancellationToken);
    }

    private async Task<List<ModelVersion>> AttachVersionDetailsAsync(DbConnection connection, IReadOnlyList<ModelVersion> versions, CancellationToken cancellationToken)
    {
        if (versions.Count == 0)
        {
            return [];
        }

        var names = versions.Select(version => version.Name).Distinct(StringComparer.Ordinal).ToList();
        var tags = new Dictionary<(string, long), List<KeyValue>>();
        var aliases = new Dictionary<(string, long), List<string>>();
        foreach (var chunk in names.Chunk(_dialect.MaxListParameters))
        {
            await using (var command = connection.CreateCommand(null, string.Empty))
            {
                command.CommandText =
                    $"SELECT name, version, key, value FROM model_version_tags WHERE name IN ({BindList(command, chunk)}) ORDER BY name, version, key";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    GetOrAdd(tags, (reader.GetString(0), reader.GetInt64(1))).Add(new KeyValue(reader.GetString(2), reader.GetString(3)));
                }
            }

            await using (var command = connection.CreateCommand(null, string.Empty))
            {
                command.CommandText =
                    $"SELECT name, version, alias FROM registered_model_aliases WHERE name IN ({BindList(command, chunk)}) ORDER BY name, alias";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    GetOrAdd(aliases, (reader.GetString(0), reader.GetInt64(1))).Add(reader.GetString(2));
                }
            }
        }

        return versions
            .Select(version => version with
            {
                Tags = tags.GetValueOrDefault((version.Name, version.Version)) ?? [],
                Aliases = aliases.GetValueOrDefault((version.Name, version.Version)) ?? [],
            })
            .ToList();
    }

    /// <summary>Attaches tags, aliases and the latest version per stage to each row, keeping the rows' order.</summary>
    private async Task<List<RegisteredModel>> LoadModelsAsync(DbConnection connection, IReadOnlyList<ModelRow> rows, CancellationToken cancellationToken)
    {
        var tags = new Dictionary<string, List<KeyValue>>(StringComparer.Ordinal);
        var aliases = new Dictionary<string, List<RegisteredModelAlias>>(StringComparer.Ordinal);
        var latest = new Dictionary<string, List<ModelVersion>>(StringComparer.Ordinal);
        foreach (var chunk in rows.Select(row => row.Name).Chunk(_dialect.MaxListParameters))
        {
            await using (var command = connection.CreateCommand(null, string.Empty))
            {
                command.CommandText =
                    $"SELECT name, key, value FROM registered_model_tags WHERE name IN ({BindList(command, chunk)}) ORDER BY name, key";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    GetOrAdd(tags, reader.GetString(0)).Add(new KeyValue(reader.GetString(1), reader.GetString(2)));
                }
            }

            await using (var command = connection.CreateCommand(null, string.Empty))
            {
                command.CommandText =
                    $"SELECT name, alias, version FROM registered_model_aliases WHERE name IN ({BindList(command, chunk)}) ORDER BY name, alias";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    GetOrAdd(aliases, reader.GetString(0)).Add(new RegisteredModelAlias(reader.GetString(1), reader.GetInt64(2)));
                }
            }

            await using (var command = connection.CreateCommand(null, string.Empty))
            {
                command.CommandText =
                    $"SELECT {VersionColumns} FROM model_versions mv WHERE mv.name IN ({BindList(command, chunk)}) AND {NotDeleted} " +
                    "AND mv.version = (SELECT MAX(v2.version) FROM model_versions v2 WHERE v2.name = mv.name AND v2.current_stage = mv.current_stage) " +
                    "ORDER BY mv.name, mv.version";
                foreach (var version in await ReadVersionsAsync(connection, command, null, cancellationToken))
                {
                    GetOrAdd(latest, version.Name).Add(version);
                }
            }
        }

        return rows
            .Select(row => new RegisteredModel(
                row.Name,
                row.CreationTime,
                row.LastUpdatedTime,
                row.Description,
                latest.GetValueOrDefault(row.Name) ?? [],
                tags.GetValueOrDefault(row.Name) ?? [],
                aliases.GetValueOrDefault(row.Name) ?? []))
            .ToList();
    }

    private static ModelRow ReadModelRow(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetNullableString(3));

    private static List<TValue> GetOrAdd<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        return list;
    }

    private static string BindList(DbCommand command, IEnumerable<string> values) =>
        string.Join(", ", values.Select(value => command.Bind(value)));
}
