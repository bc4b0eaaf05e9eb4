using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;
using Platform.Operator.Api;
using Platform.Operator.Hosting;
using Platform.Operator.Storage;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// Keeps the tenant's Deployment: one replica (zero when suspended) of the tracking server in single-tenant
/// mode, hardened for the "restricted" Pod Security Standard, with health probes and resource requests.
/// </summary>
public sealed class DeploymentReconciler(IKubernetes client, ITenantStorage storage, IOptions<OperatorOptions> options) : ITenantReconciler
{
    public const int ContainerPort = 5000;

    public string ConditionType => ConditionTypes.Available;

    public string FailureReason => "DeploymentFailed";

    public async Task ReconcileAsync(TenantContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var desired = Build(context);
        var ns = context.Namespace;
        var applied = await OwnedObjects.ApplyAsync(
            desired,
            ct => client.AppsV1.ReadNamespacedDeploymentAsync(desired.Metadata.Name, ns, cancellationToken: ct),
            (deployment, ct) => client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns, cancellationToken: ct),
            (deployment, ct) => client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, deployment.Metadata.Name, ns, cancellationToken: ct),
            keepServerFields: null,
            cancellationToken);

        ObserveAvailability(context, applied);
    }

    /// <summary>Builds the desired Deployment; public so tests can check the pod template without a server.</summary>
    public V1Deployment Build(TenantContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = context.Resource.Spec;
        var replicas = spec.Suspend == true ? 0 : 1;
        var podAnnotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Any spec change rolls the pods, so the server always runs with the configuration it was given.
            [TrackingServerApi.SpecHashAnnotation] = OwnedObjects.Hash(spec),
        };

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = context.OwnedMetadata(context.Names.Workload),
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = context.SelectorLabels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = context.Labels, Annotations = podAnnotations },
                    Spec = BuildPodSpec(context),
                },
            },
        };
    }

    private V1PodSpec BuildPodSpec(TenantContext context) => new()
    {
        AutomountServiceAccountToken = false,
        EnableServiceLinks = false,
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = 10001,
            RunAsGroup = 10001,
            FsGroup = 10001,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        Containers = [BuildContainer(context)],
        Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("256Mi") } }],
    };

    private V1Container BuildContainer(TenantContext context)
    {
        var settings = options.Value;
        var env = new List<V1EnvVar>
        {
            new()
            {
                Name = "BACKEND_STORE_URI",
                ValueFrom = new V1EnvVarSource
                {
                    SecretKeyRef = new V1SecretKeySelector { Name = context.Names.DatabaseSecret, Key = SecretReconciler.BackendStoreUriKey },
                },
            },
        };
        if (!string.IsNullOrWhiteSpace(settings.GatewaySecretName))
        {
            env.Add(new V1EnvVar
            {
                Name = "LABPLATFORM_GATEWAY_SECRET",
                ValueFrom = new V1EnvVarSource
                {
                    SecretKeyRef = new V1SecretKeySelector { Name = settings.GatewaySecretName, Key = "gateway-secret" },
                },
            });
        }

        return new V1Container
        {
            Name = "tracking-server",
            Image = string.IsNullOrWhiteSpace(context.Resource.Spec.Image) ? settings.TrackingImage : context.Resource.Spec.Image,
            Args =
            [
                "--host", "0.0.0.0",
                "--port", ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),

                // Kubernetes expands $(VAR) in args from the container's env, so the password stays in the Secret.
                "--backend-store-uri", "$(BACKEND_STORE_URI)",
                "--artifacts-destination", storage.DestinationFor(context.BucketPrefix),
            ],
            Env = env,
            Ports = [new V1ContainerPort { Name = "http", ContainerPort = ContainerPort, Protocol = "TCP" }],
            Resources = ResourceDefaults.Merge(context.Resource.Spec.Resources),
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                RunAsNonRoot = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            LivenessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = "http" },
                PeriodSeconds = 10,
                FailureThreshold = 3,
            },
            ReadinessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = "/readyz", Port = "http" },
                PeriodSeconds = 5,
                FailureThreshold = 3,
            },
            VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
        };
    }

    private static void ObserveAvailability(TenantContext context, V1Deployment deployment)
    {
        if (context.Resource.Spec.Suspend == true)
        {
            context.Observe(ConditionTypes.Available, ready: false, "Suspended", "spec.suspend is true, so the Deployment runs zero replicas.");
            return;
        }

        var wanted = deployment.Spec?.Replicas ?? 1;
        var ready = deployment.Status?.ReadyReplicas ?? 0;
        var current = (deployment.Status?.ObservedGeneration ?? 0) >= (deployment.Metadata.Generation ?? 0);
        if (current && ready >= wanted)
        {
            context.Observe(ConditionTypes.Available, ready: true, "ReplicasReady", $"{ready} of {wanted} replicas are ready.");
        }
        else
        {
            context.Observe(ConditionTypes.Available, ready: false, "ReplicasNotReady", $"{ready} of {wanted} replicas are ready.");
        }
    }
}
