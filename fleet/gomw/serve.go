package gomw

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"runtime/debug"
	"syscall"
)

const (
	errorMarker     = "pqc-harness/error"
	describeCommand = "pqc-harness/describe"
)

// Serve answers requests on stdin until it ends, then exits: 0 at a clean end
// of input, 1 when the stream itself is broken. Bad input to a command never
// ends the process; it gets an error response.
func Serve(m Module) {
	log.SetPrefix(m.ID + ": ")
	frames := ownStdout()
	cmds, config := m.commands()
	configJSON, err := json.Marshal(config)
	if err != nil {
		log.Fatalf("getConfig: %v", err)
	}
	notes := append([]string{}, m.Notes...)
	info := map[string]any{"id": m.ID, "name": m.Name, "version": m.Version, "kind": "process", "notes": notes}
	describeJSON, err := json.Marshal(info)
	if err != nil {
		log.Fatalf("describe: %v", err)
	}
	in := bufio.NewReaderSize(os.Stdin, 1<<16)
	out := bufio.NewWriterSize(frames, 1<<16)
	for {
		req, err := readRequest(in)
		if errors.Is(err, io.EOF) {
			out.Flush()
			return
		}
		if err != nil {
			out.Flush()
			log.Fatalf("protocol: %v", err)
		}
		var resp [][]byte
		switch name := string(req[0]); name {
		case "flush":
			resp = nil
		case "getConfig":
			resp = [][]byte{configJSON}
		case describeCommand:
			resp = [][]byte{describeJSON}
		default:
			resp = answer(cmds, name, req[1:])
		}
		if resp != nil {
			if err := writeFrame(out, resp); err != nil {
				log.Fatalf("writing a response: %v", err)
			}
		}
		// Requests may be pipelined: answer in bulk while more are waiting.
		if in.Buffered() == 0 || resp == nil {
			if err := out.Flush(); err != nil {
				log.Fatalf("writing a response: %v", err)
			}
		}
	}
}

// answer runs one command; every failure becomes a three-string error response.
func answer(cmds map[string]handler, name string, args [][]byte) (resp [][]byte) {
	h, ok := cmds[name]
	if !ok {
		return errorResponse("unsupported", fmt.Sprintf("unknown command %q", name))
	}
	if len(args) != h.arity {
		return errorResponse("error", fmt.Sprintf("%s: expected %d arguments, got %d", name, h.arity, len(args)))
	}
	// A panic inside the library is its bug, reported against this request
	// (stack on stderr); the wrapper keeps serving.
	defer func() {
		if p := recover(); p != nil {
			log.Printf("panic in %s: %v\n%s", name, p, debug.Stack())
			resp = errorResponse("error", fmt.Sprintf("panic in %s: %v", name, p))
		}
	}()
	out, err := h.run(args)
	if err != nil {
		var r *refusal
		if errors.As(err, &r) {
			return errorResponse(r.kind, r.msg)
		}
		return errorResponse("error", fmt.Sprintf("%s: %v", name, err))
	}
	return out
}

func errorResponse(kind errorKind, msg string) [][]byte {
	return [][]byte{[]byte(errorMarker), []byte(kind), []byte(msg)}
}

// ownStdout keeps the real fd 1 for frames and points fd 1 at stderr, so that
// anything else printing to stdout cannot corrupt the stream.
func ownStdout() *os.File {
	fd, err := syscall.Dup(1)
	if err != nil {
		log.Fatalf("dup stdout: %v", err)
	}
	if err := syscall.Dup3(2, 1, 0); err != nil {
		log.Fatalf("redirect stdout: %v", err)
	}
	return os.NewFile(uintptr(fd), "frames")
}
