// Command go-stdlib is a module wrapper over the Go standard library's
// crypto/mlkem (with crypto/mlkem/mlkemtest for derandomized encapsulation).
//
// What the public API cannot express, and so is left out:
//   - ML-KEM-512 (not offered);
//   - the expanded decapsulation key: a DecapsulationKey is only ever the
//     64-byte seed d‖z (Bytes() returns the seed, there is no expanded import),
//     so keyGen (whose answer is the expanded dk), decapsulation of a given dk
//     and the §7.3 decapsulation-key check cannot be driven;
//   - ML-DSA: Go 1.26 has no public crypto/mldsa (its ML-DSA is internal to the
//     Go Cryptographic Module; fleet/go-filippo-mldsa runs that code).
package main

import (
	"crypto/mlkem"
	"crypto/mlkem/mlkemtest"
	"runtime"

	"pqc-harness/fleet/gomw"
)

// encapsKey is one parameter set's EncapsulationKey constructor and its encapsulators.
type encapsKey[K any] struct {
	parse  func([]byte) (K, error) // NewEncapsulationKeyXXX: length and §7.2 modulus check
	random func(K) (k, c []byte)
	fixed  func(K, []byte) (k, c []byte, err error)
}

func kemOps[K any](e encapsKey[K]) *gomw.KEM {
	key := func(ek []byte) (K, error) {
		k, err := e.parse(ek)
		return k, gomw.Refused(err)
	}
	return &gomw.KEM{
		Encaps: func(ek, m []byte) ([]byte, []byte, error) {
			k, err := key(ek)
			if err != nil {
				return nil, nil, err
			}
			ss, c, err := e.fixed(k, m)
			return c, ss, gomw.Refused(err)
		},
		EncapsRandom: func(ek []byte) ([]byte, []byte, error) {
			k, err := key(ek)
			if err != nil {
				return nil, nil, err
			}
			ss, c := e.random(k)
			return c, ss, nil
		},
		CheckEncapsKey: func(ek []byte) (bool, error) {
			_, err := e.parse(ek)
			return err == nil, nil
		},
	}
}

func main() {
	gomw.Serve(gomw.Module{
		ID:      "go-stdlib",
		Name:    "Go standard library crypto/mlkem",
		Version: runtime.Version(),
		Notes: []string{
			"ML-KEM-768/1024 only; a decapsulation key is only its 64-byte seed in this API, so keyGen, decapsulation of a given dk and the dk check are not offered; no ML-DSA in Go 1.26's public API",
		},
		KEM: map[string]*gomw.KEM{
			"ML-KEM-768": kemOps(encapsKey[*mlkem.EncapsulationKey768]{
				parse:  mlkem.NewEncapsulationKey768,
				random: (*mlkem.EncapsulationKey768).Encapsulate,
				fixed:  mlkemtest.Encapsulate768,
			}),
			"ML-KEM-1024": kemOps(encapsKey[*mlkem.EncapsulationKey1024]{
				parse:  mlkem.NewEncapsulationKey1024,
				random: (*mlkem.EncapsulationKey1024).Encapsulate,
				fixed:  mlkemtest.Encapsulate1024,
			}),
		},
	})
}
