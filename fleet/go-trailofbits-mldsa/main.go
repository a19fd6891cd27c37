// Command go-trailofbits-mldsa is a module wrapper over Trail of Bits' ML-DSA
// in Go (github.com/trailofbits/ml-dsa): one public package per parameter set
// (mldsa44, mldsa65, mldsa87), each with the same functions.
//
// The public API signs pure messages with a context and reads rnd from the
// io.Reader it is given, so a given rnd (and rnd = 0³²) goes through a
// bytes.Reader. What it cannot express, and so is left out: Sign_internal /
// M′, external μ (both exist only in the module's internal package) and
// HashML-DSA (Sign refuses a non-zero opts.HashFunc()).
package main

import (
	"bytes"
	"crypto"
	"fmt"
	"io"

	"github.com/trailofbits/ml-dsa/mldsa44"
	"github.com/trailofbits/ml-dsa/mldsa65"
	"github.com/trailofbits/ml-dsa/mldsa87"
	"github.com/trailofbits/ml-dsa/options"

	"pqc-harness/fleet/gomw"
)

const upstream = "github.com/trailofbits/ml-dsa"

// privateKey and publicKey are what the three packages' key types have in common.
type privateKey interface {
	crypto.Signer
	EncodeExpanded() []byte
}
type publicKey interface {
	Bytes() []byte
	VerifyWithOptions(msg, sig []byte, opts *options.Options) bool
}

// set is one parameter set's package, as function values.
type set[Pub publicKey, Priv privateKey] struct {
	generate     func(io.Reader) (Pub, Priv, error)
	fromSeed     func([]byte) (Priv, error)
	fromExpanded func([]byte) (Priv, error)
	publicFrom   func([]byte) (Pub, error)
}

func dsaOps[Pub publicKey, Priv privateKey](s set[Pub, Priv]) *gomw.DSA {
	// Public() returns the module's internal key type, not Pub; both have Bytes().
	keyPair := func(pub crypto.PublicKey, priv Priv) ([]byte, []byte, error) {
		enc, ok := pub.(interface{ Bytes() []byte })
		if !ok {
			return nil, nil, fmt.Errorf("public key of type %T has no Bytes()", pub)
		}
		return enc.Bytes(), priv.EncodeExpanded(), nil
	}
	return &gomw.DSA{
		Keygen: func(xi []byte) ([]byte, []byte, error) {
			priv, err := s.fromSeed(xi)
			if err != nil {
				return nil, nil, gomw.Refused(err)
			}
			return keyPair(priv.Public(), priv)
		},
		KeygenRandom: func() ([]byte, []byte, error) {
			pub, priv, err := s.generate(nil)
			if err != nil {
				return nil, nil, err
			}
			return keyPair(pub, priv)
		},
		Sign: func(sk, msg, ctx, rnd []byte) ([]byte, error) {
			priv, err := s.fromExpanded(sk)
			if err != nil {
				return nil, gomw.Refused(err)
			}
			// Sign reads its 32 bytes of rnd from the reader: the given rnd, exactly.
			sig, err := priv.Sign(bytes.NewReader(rnd), msg, &options.Options{Context: string(ctx)})
			return sig, gomw.Refused(err)
		},
		Verify: func(pk, msg, sig, ctx []byte) (bool, error) {
			pub, err := s.publicFrom(pk)
			if err != nil {
				return false, gomw.Refused(err)
			}
			return pub.VerifyWithOptions(msg, sig, &options.Options{Context: string(ctx)}), nil
		},
	}
}

func main() {
	gomw.Serve(gomw.Module{
		ID:      "go-trailofbits-mldsa",
		Name:    "Trail of Bits ml-dsa (Go)",
		Version: gomw.DepVersion(upstream),
		Notes:   []string{"ML-DSA only, pure interface with a context; no Sign_internal, external mu or HashML-DSA in the public API"},
		DSA: map[string]*gomw.DSA{
			"ML-DSA-44": dsaOps(set[*mldsa44.PublicKey, *mldsa44.PrivateKey]{mldsa44.GenerateKeyPair, mldsa44.PrivateKeyFromSeed, mldsa44.PrivateKeyFromExpanded, mldsa44.PublicKeyFromBytes}),
			"ML-DSA-65": dsaOps(set[*mldsa65.PublicKey, *mldsa65.PrivateKey]{mldsa65.GenerateKeyPair, mldsa65.PrivateKeyFromSeed, mldsa65.PrivateKeyFromExpanded, mldsa65.PublicKeyFromBytes}),
			"ML-DSA-87": dsaOps(set[*mldsa87.PublicKey, *mldsa87.PrivateKey]{mldsa87.GenerateKeyPair, mldsa87.PrivateKeyFromSeed, mldsa87.PrivateKeyFromExpanded, mldsa87.PublicKeyFromBytes}),
		},
	})
}
