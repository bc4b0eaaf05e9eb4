{{/* Common labels on every object of the release. */}}
{{- define "lab-platform.labels" -}}
app.kubernetes.io/part-of: lab-platform
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* Image tag: the value given, else the chart's appVersion. */}}
{{- define "lab-platform.tag" -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end }}
