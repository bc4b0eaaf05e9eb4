namespace Platform.Tracking.Registry.Storage;

/// <summary>
/// The PostgreSQL DDL of each registry schema version. A primary key that starts with a foreign key's columns serves as
/// that key's index; every other foreign key has an index of its own.
/// </summary>
internal static class PostgresRegistrySchema
{
    public static readonly IReadOnlyList<string[]> Migrations =
    [
        [
            """
            CREATE TABLE registered_models (
                name TEXT PRIMARY KEY,
                creation_time BIGINT NOT NULL,
                last_updated_time BIGINT NOT NULL,
                description TEXT)
            """,
            """
            CREATE TABLE registered_model_tags (
                name TEXT NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (name, key))
            """,
            """
            CREATE TABLE model_versions (
                name TEXT NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
                version BIGINT NOT NULL,
                creation_time BIGINT NOT NULL,
                last_updated_time BIGINT NOT NULL,
                description TEXT,
                user_id TEXT,
                current_stage TEXT NOT NULL,
                source TEXT NOT NULL,
                storage_location TEXT NOT NULL,
                run_id TEXT,
                run_link TEXT,
                status TEXT NOT NULL,
                status_message TEXT,
                model_id TEXT,
                PRIMARY KEY (name, version))
            """,
            "CREATE INDEX model_versions_run_id ON model_versions (run_id)",
            "CREATE INDEX model_versions_model_id ON model_versions (model_id)",
            """
            CREATE TABLE model_version_tags (
                name TEXT NOT NULL,
                version BIGINT NOT NULL,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (name, version, key),
                FOREIGN KEY (name, version) REFERENCES model_versions (name, version) ON UPDATE CASCADE ON DELETE CASCADE)
            """,
            """
            CREATE TABLE registered_model_aliases (
                name TEXT NOT NULL,
                alias TEXT NOT NULL,
                version BIGINT NOT NULL,
                PRIMARY KEY (name, alias),
                FOREIGN KEY (name, version) REFERENCES model_versions (name, version) ON UPDATE CASCADE ON DELETE CASCADE)
            """,
            "CREATE INDEX registered_model_aliases_version ON registered_model_aliases (name, version)",
        ],

        // Version 2: MLflow 3 logged models with their params and tags, and the runs that output them.
        [
            """
            CREATE TABLE logged_models (
                model_id TEXT PRIMARY KEY,
                experiment_id BIGINT NOT NULL,
                name TEXT NOT NULL,
                artifact_uri TEXT NOT NULL,
                status TEXT NOT NULL,
                status_message TEXT,
                model_type TEXT,
                source_run_id TEXT,
                creation_time BIGINT NOT NULL,
                last_updated_time BIGINT NOT NULL)
            """,
            "CREATE INDEX logged_models_experiment ON logged_models (experiment_id, creation_time DESC, model_id)",
            """
            CREATE TABLE logged_model_params (
                model_id TEXT NOT NULL REFERENCES logged_models (model_id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (model_id, key))
            """,
            """
            CREATE TABLE logged_model_tags (
                model_id TEXT NOT NULL REFERENCES logged_models (model_id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (model_id, key))
            """,
            """
            CREATE TABLE run_model_outputs (
                run_id TEXT NOT NULL,
                model_id TEXT NOT NULL REFERENCES logged_models (model_id) ON DELETE CASCADE,
                step BIGINT NOT NULL,
                PRIMARY KEY (run_id, model_id))
            """,
            "CREATE INDEX run_model_outputs_model ON run_model_outputs (model_id)",
        ],

        // Version 3: MLflow 3 traces (TraceInfoV3), their tags, metadata, assessments and run links.
        [
            """
            CREATE TABLE traces (
                trace_id TEXT PRIMARY KEY,
                experiment_id BIGINT NOT NULL,
                client_request_id TEXT,
                request_time BIGINT NOT NULL,
                execution_duration BIGINT,
                state TEXT NOT NULL,
                request_preview TEXT,
                response_preview TEXT)
            """,
            "CREATE INDEX traces_experiment_time ON traces (experiment_id, request_time DESC, trace_id)",
            """
            CREATE TABLE trace_tags (
                trace_id TEXT NOT NULL REFERENCES traces (trace_id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (trace_id, key))
            """,
            """
            CREATE TABLE trace_metadata (
                trace_id TEXT NOT NULL REFERENCES traces (trace_id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (trace_id, key))
            """,
            """
            CREATE TABLE trace_assessments (
                assessment_id TEXT PRIMARY KEY,
                trace_id TEXT NOT NULL REFERENCES traces (trace_id) ON DELETE CASCADE,
                body TEXT NOT NULL,
                create_time BIGINT NOT NULL)
            """,
            "CREATE INDEX trace_assessments_trace ON trace_assessments (trace_id, create_time)",
            """
            CREATE TABLE trace_run_links (
                trace_id TEXT NOT NULL REFERENCES traces (trace_id) ON DELETE CASCADE,
                run_id TEXT NOT NULL,
                PRIMARY KEY (trace_id, run_id))
            """,
            "CREATE INDEX trace_run_links_run ON trace_run_links (run_id)",
        ],
    ];
}
