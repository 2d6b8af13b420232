// Package web stands in for kube-bind's embedded UI (see go.mod): the backend's HTTP handler serves what
// GetFileSystem returns at "/"; here that is nothing, so only the backend's API endpoints answer.
package web

import (
	"embed"
	"net/http"
)

var nothing embed.FS

// GetFileSystem is what kube-bind's backend/http handler calls for its single-page app.
func GetFileSystem() http.FileSystem { return http.FS(nothing) }
