#!/usr/bin/env bash
# Refreshes the vendored Kubernetes protobuf definitions and the list of pointer fields from two git clones:
#   src/Maille.Kube/Protobuf/update.sh PATH/TO/kubernetes/api PATH/TO/kubernetes/apimachinery
# Both are Apache-2.0, The Kubernetes Authors (proto/NOTICE). Only the groups the lab serves and kubectl writes as
# protobuf are taken: core/v1, apps/v1, networking/v1, authorization/v1 (kubectl auth can-i) and what they import.
set -euo pipefail
api=$1 machinery=$2
here=$(cd "$(dirname "$0")" && pwd)
groups=(core/v1 apps/v1 networking/v1 authorization/v1)
imports=(pkg/api/resource pkg/apis/meta/v1 pkg/runtime pkg/runtime/schema pkg/util/intstr)
for g in "${groups[@]}"; do
  mkdir -p "$here/proto/k8s.io/api/$g"
  git -C "$api" show "HEAD:$g/generated.proto" > "$here/proto/k8s.io/api/$g/generated.proto"
done
for i in "${imports[@]}"; do
  mkdir -p "$here/proto/k8s.io/apimachinery/$i"
  git -C "$machinery" show "HEAD:$i/generated.proto" > "$here/proto/k8s.io/apimachinery/$i/generated.proto"
done

# How Go's JSON differs from the proto, field by field, read from the Go types (PROTO_PACKAGE.Struct.protoName):
# "pointer" for a field whose Go type is a pointer (`Replicas *int32 ... protobuf:"varint,1,opt,name=replicas"`), whose
# zero was meant; "inline" for an embedded struct (`ProbeHandler `json:"" protobuf:"bytes,1,opt,name=handler"``), whose
# fields Go's JSON puts in its parent's; "rename" for the few fields whose proto name is not their JSON one.
gofields() {
  awk -v pkg="$1" '
    /^type [A-Za-z0-9]+ struct \{/ { s = $2; next }
    /^\}/ { s = "" }
    s == "" || !/protobuf:"/ { next }
    {
      t = $0; sub(/.*protobuf:"/, "", t); sub(/".*/, "", t)
      name = ""; if (match(t, /name=[^,]+/)) name = substr(t, RSTART + 5, RLENGTH - 5)
    }
    match($0, /^\t\*?[A-Z][A-Za-z0-9.]*[ \t]+`json:"(,[^"]*)?"/) {
      type = $1; sub(/^\*/, "", type); sub(/.*\./, "", type)
      if (name == "") name = tolower(substr(type, 1, 1)) substr(type, 2)
      print "inline " pkg "." s "." name; next
    }
    {
      json = ""; if (match($0, /json:"[^,"]+/)) json = substr($0, RSTART + 6, RLENGTH - 6)
      if (name != "" && json != "" && json != name) print "rename " pkg "." s "." name " " json
    }
    match($0, /^\t[A-Z][A-Za-z0-9]*[ \t]+\*/) && name != "" { print "pointer " pkg "." s "." name }'
}
{
  echo "# How Go's JSON of Kubernetes' types differs from their protobuf, read from types.go of k8s.io/api"
  echo "# $(git -C "$api" rev-parse --short HEAD) and k8s.io/apimachinery $(git -C "$machinery" rev-parse --short HEAD) by update.sh beside this file"
  echo "# (Apache-2.0, The Kubernetes Authors). \"pointer MESSAGE.field\": a pointer in Go, written only when set, so its zero"
  echo "# was meant (replicas: 0); every other field is written zero or not, where JSON leaves zeros out. \"inline"
  echo "# MESSAGE.field\": an embedded struct, whose fields Go's JSON puts in the parent's (a Probe's httpGet). \"rename"
  echo "# MESSAGE.field NAME\": a field whose JSON name is not its proto name."
  for g in "${groups[@]}"; do git -C "$api" show "HEAD:$g/types.go" | gofields "k8s.io.api.${g//\//.}"; done
  git -C "$machinery" show HEAD:pkg/apis/meta/v1/types.go | gofields k8s.io.apimachinery.pkg.apis.meta.v1
} > "$here/go-fields.txt"
{
  echo "The .proto files under k8s.io/ are Kubernetes' generated.proto files, copied unchanged from"
  echo "github.com/kubernetes/api (${groups[*]}) and github.com/kubernetes/apimachinery"
  echo "(${imports[*]})."
  echo "Copyright The Kubernetes Authors. Licensed under the Apache License, Version 2.0 (each file carries the header)."
  echo "k8s.io/api $(git -C "$api" rev-parse HEAD), k8s.io/apimachinery $(git -C "$machinery" rev-parse HEAD)"
} > "$here/proto/NOTICE"
