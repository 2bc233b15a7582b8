#!/bin/sh
# Regenerates deploy/kubernetes/05-configmap-routes.yaml from routes/*.camel.yaml (run from anywhere).
# PlainManifestsTest fails until the ConfigMap holds exactly the files in routes/, byte for byte.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/deploy/kubernetes/05-configmap-routes.yaml"
{
  cat <<'HEADER'
# The route files of routes/, copied (deploy/sync-routes.sh regenerates this file; a test keeps them equal).
# Mounted at /etc/kube-sentry-events/routes (KUBE_SENTRY_ROUTES_DIR): they replace the routes inside the
# jar, and `kubectl edit configmap -n kube-sentry-events kube-sentry-events-routes` changes them live.
apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-sentry-events-routes
  namespace: kube-sentry-events
  labels:
    app.kubernetes.io/name: kube-sentry-events
    app.kubernetes.io/instance: kube-sentry-events
data:
HEADER
  for file in "$root"/routes/*.camel.yaml; do
    printf '  %s: |\n' "$(basename "$file")"
    sed '/./s/^/    /' "$file"
  done
} > "$out"
echo "wrote $out"
