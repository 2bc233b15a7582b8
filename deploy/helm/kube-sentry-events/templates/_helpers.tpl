{{/*
The chart's name, at most 63 characters (a DNS label).
*/}}
{{- define "kube-sentry-events.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The full name of the release's objects: the release name when it already holds the chart's name
(`helm install kube-sentry-events ...` names everything kube-sentry-events).
*/}}
{{- define "kube-sentry-events.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "kube-sentry-events.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kube-sentry-events.labels" -}}
helm.sh/chart: {{ include "kube-sentry-events.chart" . }}
{{ include "kube-sentry-events.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "kube-sentry-events.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kube-sentry-events.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "kube-sentry-events.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kube-sentry-events.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The Secret that holds the DSN: an existing one, else the chart's own (only when sentry.dsn is set).
Empty when there is no DSN at all (a dry run).
*/}}
{{- define "kube-sentry-events.secretName" -}}
{{- if .Values.sentry.existingSecret }}
{{- .Values.sentry.existingSecret }}
{{- else if .Values.sentry.dsn }}
{{- include "kube-sentry-events.fullname" . }}
{{- end }}
{{- end }}

{{- define "kube-sentry-events.secretKey" -}}
{{- if .Values.sentry.existingSecret }}
{{- default "dsn" .Values.sentry.existingSecretKey }}
{{- else }}
{{- "dsn" }}
{{- end }}
{{- end }}

{{- define "kube-sentry-events.routesConfigMapName" -}}
{{- printf "%s-routes" (include "kube-sentry-events.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kube-sentry-events.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
