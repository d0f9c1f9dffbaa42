//go:build js

package main

// The WebAssembly build the extension loads: a global function taking one request (JSON text) and returning the
// response (JSON text) synchronously.

import (
	"runtime/debug"
	"syscall/js"
)

func main() {
	// Fewer collections: each call allocates a few times the section's size and frees it all on return, and the
	// collector runs on the extension host's only thread.
	debug.SetGCPercent(400)
	js.Global().Set("eksAuthGoYaml", js.FuncOf(func(this js.Value, args []js.Value) interface{} {
		return string(handle([]byte(args[0].String())))
	}))
	select {}
}
