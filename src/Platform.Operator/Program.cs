using Platform.Operator.Crd;
using Platform.Operator.Hosting;

// "crd" prints the CustomResourceDefinition generated from the C# types (scripts/generate-crds.sh writes it to manifests/).
if (args is ["crd"])
{
    Console.Out.Write(CrdGenerator.ToYaml());
    return 0;
}

var app = OperatorHost.Build(args);
await app.RunAsync();
return 0;
