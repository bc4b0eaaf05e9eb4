namespace Platform.Tracking.Registry.Api;

/// <summary>A group of handlers that adds its routes to the <see cref="AddOnApiRouter"/>.</summary>
internal interface IAddOnRoutes
{
    void Register(AddOnApiRouter router);
}
