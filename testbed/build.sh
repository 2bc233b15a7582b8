#!/usr/bin/env bash
# Builds the test bed's control plane from source, once per machine and release:
# etcd, kube-apiserver, kube-scheduler, kube-controller-manager and kubectl (kube-api-test asks
# kubectl whether the default namespace is there), all pinned by the go.mod and go.sum beside this
# script. The binaries land where fabric8's kube-api-test looks for them:
#   $KUBE_SENTRY_TESTBED_DIR/k8s/<release>-linux-amd64/   (default ~/.cache/kube-sentry-events/testbed)
# A second run finds them there and does nothing. Prints the directory on its last line.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
release="$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { sub(/^v/, "", $3); print $3 }' "$here/kubernetes/go.mod")"
os="$(go env GOOS 2>/dev/null || echo linux)"
arch="$(go env GOARCH 2>/dev/null || echo amd64)"
root="${KUBE_SENTRY_TESTBED_DIR:-$HOME/.cache/kube-sentry-events/testbed}"
bin="$root/k8s/$release-$os-$arch"
stamp="$bin/.pins"
pins="$(cat "$here"/kubernetes/go.mod "$here"/kubernetes/go.sum "$here"/etcd/go.mod "$here"/etcd/go.sum "$here"/etcd/main.go | sha256sum | cut -d' ' -f1)"
binaries=(etcd kube-apiserver kube-scheduler kube-controller-manager kubectl)

complete() {
  [[ -f "$stamp" && "$(cat "$stamp")" == "$pins" ]] || return 1
  for b in "${binaries[@]}"; do [[ -x "$bin/$b" ]] || return 1; done
}

if complete; then
  echo "$bin"
  exit 0
fi

if ! command -v go >/dev/null; then
  echo "testbed: Go is needed to build the control plane (etcd, kube-apiserver, ...) into $bin:" \
       "install Go 1.26 or newer, or put those binaries there yourself" >&2
  exit 3
fi

echo "testbed: building Kubernetes $release and etcd from source into $bin (once per machine and release: 15 to 35 minutes on 2 cores)" >&2
started=$SECONDS
work="$(mktemp -d "$root/.build.XXXXXX" 2>/dev/null || { mkdir -p "$root"; mktemp -d "$root/.build.XXXXXX"; })"
trap 'rm -rf "$work"' EXIT
version_flags="-X k8s.io/component-base/version.gitVersion=v$release -X k8s.io/component-base/version.gitMajor=${release%%.*}"
version_flags="$version_flags -X k8s.io/component-base/version.gitMinor=$(echo "$release" | cut -d. -f2)"
version_flags="$version_flags -X k8s.io/component-base/version.gitTreeState=clean"
# -mod=readonly: go.sum is the pin; a module that is not in it fails the build instead of being added.
(cd "$here/kubernetes" && GOFLAGS="-mod=readonly -buildvcs=false" go build -ldflags "-s -w $version_flags" -o "$work/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-scheduler \
  k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl)
(cd "$here/etcd" && GOFLAGS="-mod=readonly -buildvcs=false" go build -ldflags "-s -w" -o "$work/etcd" .)

mkdir -p "$bin"
for b in "${binaries[@]}"; do mv -f "$work/$b" "$bin/$b"; done
echo "$pins" > "$stamp"
echo "testbed: built in $((SECONDS - started)) s" >&2
echo "$bin"
