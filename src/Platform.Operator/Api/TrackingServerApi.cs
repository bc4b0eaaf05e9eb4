namespace Platform.Operator.Api;

/// <summary>Names that identify the TrackingServer API and the objects the operator owns.</summary>
public static class TrackingServerApi
{
    public const string Group = "labplatform.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
    public const string Kind = "TrackingServer";
    public const string Plural = "trackingservers";
    public const string Singular = "trackingserver";
    public const string ShortName = "ts";
    public const string Category = "labplatform";

    /// <summary>Finalizer that blocks deletion until the schema, role and bucket prefix are handled per the deletion policy.</summary>
    public const string Finalizer = Group + "/cleanup";

    /// <summary>Value of <c>app.kubernetes.io/managed-by</c> on every owned object; owned-object watches select on it.</summary>
    public const string ManagedBy = "labplatform-operator";

    /// <summary>Label that names the tenant an owned object belongs to.</summary>
    public const string TenantLabel = Group + "/tenant";

    /// <summary>Annotation with a hash of the desired state, so an unchanged object is not rewritten.</summary>
    public const string DesiredHashAnnotation = Group + "/desired-hash";

    /// <summary>Pod-template annotation with a hash of the TrackingServer spec; a spec change rolls the Deployment.</summary>
    public const string SpecHashAnnotation = Group + "/spec-hash";
}
