namespace Platform.Tracking.Storage.Sql;

/// <summary>The type of a sort key's value, which decides how a page token stores and binds it.</summary>
internal enum SortValueType
{
    Integer,
    Real,
    Text,
}

/// <summary>
/// One ORDER BY expression of a keyset-paged query. <see cref="Expression"/> is trusted SQL built by the store.
/// <see cref="Nullable"/> adds an "is null" key in front, so NULLs sort last. Leave it false when an earlier
/// key already puts the NULL rows in a group of their own.
/// </summary>
internal sealed record SortKey(string Expression, bool Ascending, SortValueType Type, bool Nullable);
