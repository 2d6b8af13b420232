// Builds kube-bind's backend and konnector. v0.8.1 (the version p2c's images name) is not served by
// the module proxy; v0.8.2, the next patch release, is. Its go.mod points sdk/cli/web at ./ folders;
// their published releases stand in, and its k8s.io pins are repeated.
module p2c.live/kube-bind

go 1.26.0

tool (
	github.com/kube-bind/kube-bind/cmd/backend
	github.com/kube-bind/kube-bind/cmd/konnector
)

require (
	github.com/kube-bind/kube-bind v0.8.2
	github.com/kube-bind/kube-bind/sdk v0.8.2
)

replace (
	k8s.io/api => k8s.io/api v0.35.1
	k8s.io/apiextensions-apiserver => k8s.io/apiextensions-apiserver v0.35.1
	k8s.io/apimachinery => k8s.io/apimachinery v0.35.1
	k8s.io/apiserver => k8s.io/apiserver v0.35.1
	k8s.io/cli-runtime => k8s.io/cli-runtime v0.35.1
	k8s.io/client-go => k8s.io/client-go v0.35.1
	k8s.io/code-generator => k8s.io/code-generator v0.35.1
	k8s.io/component-base => k8s.io/component-base v0.35.1
)
