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

{{/*
"true" when the chart keeps a Secret of its own: for sentry.dsn (without sentry.existingSecret) and for every
projects.<name>.dsn (without its existingSecret). Empty otherwise.
*/}}
{{- define "kube-sentry-events.ownSecret" -}}
{{- $own := and .Values.sentry.dsn (not .Values.sentry.existingSecret) }}
{{- range $name, $project := (default dict .Values.projects) }}
{{- if and (kindIs "map" $project) (get $project "dsn") (not (get $project "existingSecret")) }}
{{- $own = true }}
{{- end }}
{{- end }}
{{- if $own }}true{{ end }}
{{- end }}

{{/*
The key of a project's DSN in the chart's own Secret.
*/}}
{{- define "kube-sentry-events.projectSecretKey" -}}
{{- printf "dsn-%s" . }}
{{- end }}

{{/*
The Sentry projects (KUBE_SENTRY_PROJECTS), checked: names the program accepts, each with a DSN source, no
two reading the same SENTRY_DSN_<NAME> variable. A list of {name, variable, secret, key}, as JSON.
*/}}
{{- define "kube-sentry-events.projects" -}}
{{- $projects := list }}
{{- $variables := dict }}
{{- range $name, $project := (default dict .Values.projects) }}
{{- if not (regexMatch "^[A-Za-z0-9][A-Za-z0-9._-]*$" $name) }}
{{- fail (printf "projects: %q is not a project name; expected letters, digits, '.', '_', '-'" $name) }}
{{- end }}
{{- if not (kindIs "map" $project) }}
{{- fail (printf "projects.%s: expected {existingSecret: <Secret>, key: <key>} or {dsn: <DSN>}" $name) }}
{{- end }}
{{- $variable := printf "SENTRY_DSN_%s" (regexReplaceAll "[^A-Z0-9]" (upper $name) "_") }}
{{- if hasKey $variables $variable }}
{{- fail (printf "projects: %q and %q would both read their DSN from %s; rename one" (get $variables $variable) $name $variable) }}
{{- end }}
{{- $_ := set $variables $variable $name }}
{{- if get $project "existingSecret" }}
{{- $projects = append $projects (dict "name" $name "variable" $variable "secret" (get $project "existingSecret") "key" (default "dsn" (get $project "key"))) }}
{{- else if get $project "dsn" }}
{{- $projects = append $projects (dict "name" $name "variable" $variable "secret" (include "kube-sentry-events.fullname" $) "key" (include "kube-sentry-events.projectSecretKey" $name)) }}
{{- else }}
{{- fail (printf "projects.%s: no DSN; set existingSecret (and key, default dsn) or dsn" $name) }}
{{- end }}
{{- end }}
{{- toJson $projects }}
{{- end }}

{{/*
KUBE_SENTRY_ROUTING from the routing list: "namespace:payments-* -> team-a; selector:team=checkout -> team-b".
*/}}
{{- define "kube-sentry-events.routing" -}}
{{- $projects := default dict .Values.projects }}
{{- $rules := list }}
{{- range $i, $rule := (default list .Values.routing) }}
{{- if not (kindIs "map" $rule) }}
{{- fail (printf "routing[%d]: expected {namespace: <pattern>, project: <name>} or {selector: {<label>: <value>}, project: <name>}" $i) }}
{{- end }}
{{- $project := get $rule "project" | toString }}
{{- if not $project }}
{{- fail (printf "routing[%d]: no project; every rule names one of projects %v" $i (keys $projects | sortAlpha)) }}
{{- else if not (hasKey $projects $project) }}
{{- fail (printf "routing[%d]: project %q is not one of projects %v" $i $project (keys $projects | sortAlpha)) }}
{{- end }}
{{- $namespace := get $rule "namespace" }}
{{- $selector := get $rule "selector" }}
{{- if and $namespace $selector }}
{{- fail (printf "routing[%d]: give namespace or selector, not both (make two rules)" $i) }}
{{- else if $namespace }}
{{- $rules = append $rules (printf "namespace:%s -> %s" (toString $namespace) $project) }}
{{- else if kindIs "map" $selector }}
{{- $labels := list }}
{{- range $label, $value := $selector }}
{{- $labels = append $labels (printf "%s=%s" $label (toString $value)) }}
{{- end }}
{{- $rules = append $rules (printf "selector:%s -> %s" (join "," $labels) $project) }}
{{- else }}
{{- fail (printf "routing[%d]: expected namespace: <pattern> or selector: {<label>: <value>}" $i) }}
{{- end }}
{{- end }}
{{- join "; " $rules }}
{{- end }}

{{/*
KUBE_SENTRY_TAGS from config.tags: a map rendered as key=value,... (in key order), or a string as it is.
*/}}
{{- define "kube-sentry-events.tags" -}}
{{- if kindIs "map" .Values.config.tags }}
{{- $pairs := list }}
{{- range $key, $value := .Values.config.tags }}
{{- $pairs = append $pairs (printf "%s=%s" $key (toString $value)) }}
{{- end }}
{{- join "," $pairs }}
{{- else if .Values.config.tags }}
{{- .Values.config.tags | toString }}
{{- end }}
{{- end }}

{{/*
KUBE_SENTRY_LABEL_TAGS from config.labelTags: a list joined by commas, or a string as it is.
*/}}
{{- define "kube-sentry-events.labelTags" -}}
{{- if kindIs "slice" .Values.config.labelTags }}
{{- join "," .Values.config.labelTags }}
{{- else if .Values.config.labelTags }}
{{- .Values.config.labelTags | toString }}
{{- end }}
{{- end }}

{{/*
The Lease of leader election: leaderElection.leaseName, else the release's full name (two releases in one
namespace each elect their own leader).
*/}}
{{- define "kube-sentry-events.leaseName" -}}
{{- default (include "kube-sentry-events.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{/*
KUBE_SENTRY_PROJECTS: the project names, in name order, joined by commas.
*/}}
{{- define "kube-sentry-events.projectNames" -}}
{{- keys (default dict .Values.projects) | sortAlpha | join "," }}
{{- end }}
