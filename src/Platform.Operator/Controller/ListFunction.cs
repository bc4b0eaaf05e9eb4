using k8s.Autorest;

namespace Platform.Operator.Controller;

/// <summary>One of KubernetesClient's generated <c>List…WithHttpMessagesAsync</c> calls, bound to a resource, a namespace and a selector.</summary>
public delegate Task<HttpOperationResponse<TList>> ListFunction<TList>(CancellationToken cancellationToken);
