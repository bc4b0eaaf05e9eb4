#!/usr/bin/env bash
# Regenerates the TrackingServer CRD from the operator's C# types into manifests/ and the Helm chart.
# Run it after changing anything under src/Platform.Operator/Api; a test fails while the files are stale.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build src/Platform.Operator -nologo -v q -clp:ErrorsOnly
crd="manifests/crds/trackingservers.labplatform.io.yaml"
dotnet src/Platform.Operator/bin/Debug/net10.0/Platform.Operator.dll crd > "$crd"
mkdir -p charts/lab-platform/crds
cp "$crd" charts/lab-platform/crds/trackingservers.labplatform.io.yaml
echo "Wrote $crd and charts/lab-platform/crds/trackingservers.labplatform.io.yaml"
