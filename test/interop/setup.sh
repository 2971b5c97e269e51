#!/usr/bin/env bash
# Builds the interop peers into test/interop/.bin/ (git-ignored): grpcurl, pinned, with `go install`,
# and the two test programs of this Go module (batonsync: baton-sdk's syncer, and with -provision its
# provisioner's Grant and Revoke; protocompare: reflected schema against baton-sdk's descriptors).
# Needs Go >= 1.25.2 (baton-sdk v0.25.0's go directive) and the Go module proxy. The first run
# downloads and compiles baton-sdk's dependencies (several minutes on two cores); later runs use Go's
# module and build caches and take seconds.
set -euo pipefail

GRPCURL_VERSION=v1.9.4 # newest grpcurl release; builds with Go 1.26
MIN_GO=1.25.2

here="$(cd "$(dirname "$0")" && pwd)"
bin="${here}/.bin"

need_go() {
  echo "interop needs Go >= ${MIN_GO} and the Go module proxy (GOPROXY); $1." >&2
  echo "Install Go (https://go.dev/dl/), or skip interop and run the main suite with: npm test" >&2
  exit 2
}

command -v go >/dev/null 2>&1 || need_go "'go' is not on PATH"
go_version="$(go env GOVERSION 2>/dev/null || true)" # e.g. go1.26.8
go_version="${go_version#go}"
[ -n "${go_version}" ] || need_go "'go env GOVERSION' printed nothing"
# sort -V puts the smaller version first; MIN_GO must come first (or be equal).
if [ "$(printf '%s\n%s\n' "${MIN_GO}" "${go_version%%[!0-9.]*}" | sort -V | head -n1)" != "${MIN_GO}" ]; then
  need_go "found Go ${go_version}"
fi
echo "interop setup: Go ${go_version}, GOPROXY=$(go env GOPROXY)"

mkdir -p "${bin}"
# go install builds in module mode at exactly this version; skip it when that build is already here.
if ! go version -m "${bin}/grpcurl" 2>/dev/null | grep -q "mod[[:space:]]*github.com/fullstorydev/grpcurl[[:space:]]*${GRPCURL_VERSION}"; then
  echo "interop setup: go install github.com/fullstorydev/grpcurl/cmd/grpcurl@${GRPCURL_VERSION}"
  GOBIN="${bin}" GOFLAGS=-mod=mod go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@${GRPCURL_VERSION}" ||
    need_go "go install of grpcurl ${GRPCURL_VERSION} failed (is the module proxy reachable?)"
fi

cd "${here}"
echo "interop setup: go build ./cmd/batonsync ./cmd/protocompare (baton-sdk $(go list -m -f '{{.Version}}' github.com/conductorone/baton-sdk))"
# -mod=readonly: go.mod and go.sum are committed and must not change during a test run.
if ! go build -mod=readonly -o "${bin}/" ./cmd/batonsync ./cmd/protocompare; then
  echo "interop setup: go build failed (the first build also needs the Go module proxy to download baton-sdk)" >&2
  exit 1
fi
echo "interop setup: ready in ${bin}"
