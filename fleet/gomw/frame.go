// Package gomw is the module-wrapper side of BoringSSL acvptool's protocol, as
// pqc-harness speaks it (backends/modulewrapper/PROTOCOL.md), for the Go
// wrappers in this folder. A wrapper describes what its library can do in a
// Module (one function per contract operation, nil when absent); Serve builds
// getConfig from that and answers requests on stdin/stdout until stdin ends.
//
// This file is the framing: u32le count, u32le lengths, then the byte strings.
package gomw

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// The decoder's limits, as in the harness's own codec: a frame larger than this
// is a broken stream, not a request.
const (
	maxStrings = 64
	maxTotal   = 64 << 20
)

// readRequest returns one request (command name first), or io.EOF at a clean
// end of input.
func readRequest(r *bufio.Reader) ([][]byte, error) {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("reading a frame header: %w", err)
	}
	n := binary.LittleEndian.Uint32(head[:])
	if n == 0 || n > maxStrings {
		return nil, fmt.Errorf("request declares %d strings", n)
	}
	lens := make([]uint32, n)
	total := uint64(0)
	for i := range lens {
		if _, err := io.ReadFull(r, head[:]); err != nil {
			return nil, fmt.Errorf("reading string lengths: %w", err)
		}
		lens[i] = binary.LittleEndian.Uint32(head[:])
		total += uint64(lens[i])
	}
	if total > maxTotal {
		return nil, fmt.Errorf("request declares %d bytes", total)
	}
	parts := make([][]byte, n)
	for i, l := range lens {
		parts[i] = make([]byte, l)
		if _, err := io.ReadFull(r, parts[i]); err != nil {
			return nil, fmt.Errorf("reading string %d of %d: %w", i+1, n, err)
		}
	}
	return parts, nil
}

// writeFrame writes one response; the caller flushes.
func writeFrame(w *bufio.Writer, parts [][]byte) error {
	var u [4]byte
	binary.LittleEndian.PutUint32(u[:], uint32(len(parts)))
	w.Write(u[:])
	for _, p := range parts {
		binary.LittleEndian.PutUint32(u[:], uint32(len(p)))
		w.Write(u[:])
	}
	for _, p := range parts {
		w.Write(p)
	}
	// bufio.Writer keeps the first error; reporting it once is enough.
	_, err := w.Write(nil)
	return err
}
