// The kube-bind backend's web UI package, which the module proxy does not serve at the pseudo-version v0.8.2 names
// (403). The live suite drives kube-bind by its APIs, never its browser UI, so this serves an empty file system.
module github.com/kube-bind/kube-bind/web

go 1.26.0
