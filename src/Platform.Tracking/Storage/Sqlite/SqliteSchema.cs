namespace Platform.Tracking.Storage.Sqlite;

/// <summary>The SQLite DDL of each schema version.</summary>
internal static class SqliteSchema
{
    // metrics.run_uuid has no FOREIGN KEY: the per-row check cost more than the insert itself in log-batch.
    // log-batch checks the run in the same transaction instead, and runs are never deleted physically.
    public static readonly IReadOnlyList<string[]> Migrations =
    [
        [
            """
            CREATE TABLE experiments (
                experiment_id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                artifact_location TEXT NOT NULL,
                lifecycle_stage TEXT NOT NULL,
                creation_time INTEGER NOT NULL,
                last_update_time INTEGER NOT NULL)
            """,
            """
            CREATE TABLE experiment_tags (
                experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (experiment_id, key)) WITHOUT ROWID
            """,
            """
            CREATE TABLE runs (
                run_uuid TEXT PRIMARY KEY,
                experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
                name TEXT NOT NULL,
                user_id TEXT NOT NULL,
                status TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                end_time INTEGER,
                deleted_time INTEGER,
                lifecycle_stage TEXT NOT NULL,
                artifact_uri TEXT NOT NULL)
            """,
            "CREATE INDEX runs_experiment_start ON runs (experiment_id, start_time DESC, run_uuid)",
            """
            CREATE TABLE tags (
                run_uuid TEXT NOT NULL REFERENCES runs (run_uuid),
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (run_uuid, key)) WITHOUT ROWID
            """,
            """
            CREATE TABLE params (
                run_uuid TEXT NOT NULL REFERENCES runs (run_uuid),
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (run_uuid, key)) WITHOUT ROWID
            """,
            """
            CREATE TABLE metrics (
                run_uuid TEXT NOT NULL,
                key TEXT NOT NULL,
                step INTEGER NOT NULL,
                timestamp INTEGER NOT NULL,
                value REAL NOT NULL,
                is_nan INTEGER NOT NULL,
                PRIMARY KEY (run_uuid, key, step, timestamp, value, is_nan)) WITHOUT ROWID
            """,
            """
            CREATE TABLE latest_metrics (
                run_uuid TEXT NOT NULL REFERENCES runs (run_uuid),
                key TEXT NOT NULL,
                step INTEGER NOT NULL,
                timestamp INTEGER NOT NULL,
                value REAL NOT NULL,
                is_nan INTEGER NOT NULL,
                PRIMARY KEY (run_uuid, key)) WITHOUT ROWID
            """,
            """
            CREATE TABLE datasets (
                dataset_uuid TEXT PRIMARY KEY,
                experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
                name TEXT NOT NULL,
                digest TEXT NOT NULL,
                source_type TEXT NOT NULL,
                source TEXT NOT NULL,
                schema TEXT,
                profile TEXT,
                UNIQUE (experiment_id, name, digest))
            """,
            """
            CREATE TABLE inputs (
                input_uuid TEXT PRIMARY KEY,
                source_type TEXT NOT NULL,
                source_id TEXT NOT NULL REFERENCES datasets (dataset_uuid),
                destination_type TEXT NOT NULL,
                destination_id TEXT NOT NULL REFERENCES runs (run_uuid),
                UNIQUE (source_id, destination_id))
            """,
            "CREATE INDEX inputs_destination ON inputs (destination_id)",
            """
            CREATE TABLE input_tags (
                input_uuid TEXT NOT NULL REFERENCES inputs (input_uuid),
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (input_uuid, name)) WITHOUT ROWID
            """,
        ],

        // Version 2: MLflow 3 model inputs of runs, and the model and dataset that a metric point was logged for.
        [
            """
            CREATE TABLE run_model_inputs (
                run_uuid TEXT NOT NULL REFERENCES runs (run_uuid),
                model_id TEXT NOT NULL,
                PRIMARY KEY (run_uuid, model_id)) WITHOUT ROWID
            """,
            "ALTER TABLE metrics ADD COLUMN model_id TEXT",
            "ALTER TABLE metrics ADD COLUMN dataset_name TEXT",
            "ALTER TABLE metrics ADD COLUMN dataset_digest TEXT",
            "ALTER TABLE latest_metrics ADD COLUMN model_id TEXT",
            "ALTER TABLE latest_metrics ADD COLUMN dataset_name TEXT",
            "ALTER TABLE latest_metrics ADD COLUMN dataset_digest TEXT",
            "CREATE INDEX metrics_model ON metrics (model_id) WHERE model_id IS NOT NULL",
        ],
    ];
}
