// Command go-filippo-mldsa is a module wrapper over filippo.io/mldsa, the Go
// standard library's ML-DSA (crypto/internal/fips140/mldsa) extracted into a
// module for Go versions without a public crypto/mldsa. It is the same code
// base as the Go Cryptographic Module, so it counts once with fleet/go-stdlib.
//
// A private key in this API is only ever its 32-byte seed: there is no
// expanded-key output or import. So ML-DSA keyGen (whose answer is the expanded
// sk) and every signing operation, which the harness drives with an expanded
// sk, cannot be expressed; only verification (pure, with a context) runs.
// Signing from a seed, with or without a context, and external μ signing exist
// in the library but have no entry point in the harness's contract.
package main

import (
	"filippo.io/mldsa"

	"pqc-harness/fleet/gomw"
)

const upstream = "filippo.io/mldsa"

func dsaOps(params mldsa.Parameters) *gomw.DSA {
	return &gomw.DSA{
		Verify: func(pk, msg, sig, ctx []byte) (bool, error) {
			pub, err := mldsa.NewPublicKey(params, pk)
			if err != nil {
				return false, gomw.Refused(err)
			}
			// Verify's error covers both a bad signature and a context over 255 bytes: both mean "not valid".
			return mldsa.Verify(pub, msg, sig, &mldsa.Options{Context: string(ctx)}) == nil, nil
		},
	}
}

func main() {
	gomw.Serve(gomw.Module{
		ID:      "go-filippo-mldsa",
		Name:    "filippo.io/mldsa (Go standard library ML-DSA, extracted)",
		Version: gomw.DepVersion(upstream),
		Notes:   []string{"verification only: private keys are 32-byte seeds in this API, with no expanded-key output or import, so keyGen and signing with a given sk cannot be expressed"},
		DSA: map[string]*gomw.DSA{
			"ML-DSA-44": dsaOps(mldsa.MLDSA44()),
			"ML-DSA-65": dsaOps(mldsa.MLDSA65()),
			"ML-DSA-87": dsaOps(mldsa.MLDSA87()),
		},
	})
}
