package forwardingregistry

import "k8s.io/apimachinery/pkg/api/validation/path"

// ValidatePathSegmentName is what virtual-workspace-framework v0.32 exports and kcp v0.32.3 passes to
// customresource.NewStrategy as the name validator; v0.31.2 calls path.ValidatePathSegmentName itself (rest.go).
var ValidatePathSegmentName = path.ValidatePathSegmentName
