#!/usr/bin/env bash
# Regenerate the Go and TypeScript code of proto/animeceleb/v1 into the client packages,
# or, with --check, generate into a temporary folder and fail if the checked-in code differs.
#
#   clients/gen.sh           rewrite clients/go/animecelebv1/ and clients/ts/src/gen/
#   clients/gen.sh --check   compare only (make clients-test runs this)
#
# Every generator is pinned: protoc is grpcio-tools from the project's dev extra (pyproject.toml,
# the same one scripts/gen_proto_py.sh uses for Python; $PYTHON, default .venv/bin/python);
# protoc-gen-go and protoc-gen-go-grpc here, installed with `go install` into clients/.tools
# (gitignored) on first use ($GO, default go on PATH); ts-proto in clients/ts/package-lock.json (`npm ci` on first use).
set -euo pipefail

PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2

clients=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$clients")
tools=$clients/.tools
# Go from $GO, else PATH, else the official tarball's place.
go=${GO:-$(command -v go || echo /usr/local/go/bin/go)}

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

py=${PYTHON:-$root/.venv/bin/python}
if ! "$py" -c "import grpc_tools" 2>/dev/null; then
  echo "$py has no grpcio-tools: run make build (it installs the dev extra)" >&2
  exit 1
fi
# The Go plugins live under a folder named by their versions, so changing a pin installs afresh.
gobin=$tools/go-$PROTOC_GEN_GO_VERSION-grpc-$PROTOC_GEN_GO_GRPC_VERSION
if [ ! -x "$gobin/protoc-gen-go" ] || [ ! -x "$gobin/protoc-gen-go-grpc" ]; then
  GOBIN=$gobin "$go" install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION"
  GOBIN=$gobin "$go" install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION"
fi
ts_proto=$clients/ts/node_modules/.bin/protoc-gen-ts_proto
if [ ! -x "$ts_proto" ]; then
  (cd "$clients/ts" && npm ci --no-audit --no-fund --loglevel=error)
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/go" "$out/ts"

# Relative paths keep the file names in generated headers the same on every machine.
cd "$root/proto"
protos=(animeceleb/v1/render.proto)
"$py" -m grpc_tools.protoc -I . \
  --plugin=protoc-gen-go="$gobin/protoc-gen-go" \
  --plugin=protoc-gen-go-grpc="$gobin/protoc-gen-go-grpc" \
  --go_out="$out/go" --go_opt=module=github.com/animeceleb/animeceleb/clients/go \
  --go-grpc_out="$out/go" --go-grpc_opt=module=github.com/animeceleb/animeceleb/clients/go \
  "${protos[@]}"
# ts-proto: grpc-js service clients, ES modules (.js import suffixes), plain numbers for
# 64-bit fields (frame indices and seeds stay below 2^53; ts-proto throws beyond).
"$py" -m grpc_tools.protoc -I . \
  --plugin=protoc-gen-ts_proto="$ts_proto" \
  --ts_proto_out="$out/ts" \
  --ts_proto_opt=outputServices=grpc-js,env=node,esModuleInterop=true,importSuffix=.js,forceLong=number \
  "${protos[@]}"

go_dir=$clients/go/animecelebv1
ts_dir=$clients/ts/src/gen
if [ "$check" = 1 ]; then
  status=0
  diff -ru "$go_dir" "$out/go/animecelebv1" || status=1
  diff -ru "$ts_dir" "$out/ts" || status=1
  if [ "$status" != 0 ]; then
    echo "generated clients differ from proto/: run clients/gen.sh and commit the result" >&2
    exit 1
  fi
  echo "generated Go and TypeScript code matches proto/"
else
  rm -rf "$go_dir" "$ts_dir"
  mkdir -p "$(dirname "$ts_dir")"
  cp -r "$out/go/animecelebv1" "$go_dir"
  cp -r "$out/ts" "$ts_dir"
  echo "wrote $go_dir and $ts_dir"
fi
