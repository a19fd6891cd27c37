// Command go-circl is a module wrapper over Cloudflare's CIRCL ML-KEM and
// ML-DSA (github.com/cloudflare/circl). It reaches every parameter set through
// CIRCL's generic kem.Scheme and sign.Scheme interfaces, so one function per
// operation serves all three sets.
//
// What CIRCL's public API cannot express, and so is left out: ML-DSA signing
// with a given rnd (SignTo takes only "randomized or not"), Sign_internal / M′,
// external μ and HashML-DSA.
package main

import (
	"github.com/cloudflare/circl/kem"
	"github.com/cloudflare/circl/kem/mlkem/mlkem1024"
	"github.com/cloudflare/circl/kem/mlkem/mlkem512"
	"github.com/cloudflare/circl/kem/mlkem/mlkem768"
	"github.com/cloudflare/circl/sign"
	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"

	"pqc-harness/fleet/gomw"
)

const upstream = "github.com/cloudflare/circl"

func kemOps(s kem.Scheme) *gomw.KEM {
	pack := func(pk kem.PublicKey, sk kem.PrivateKey) (ek, dk []byte, err error) {
		if ek, err = pk.MarshalBinary(); err != nil {
			return nil, nil, err
		}
		dk, err = sk.MarshalBinary()
		return ek, dk, err
	}
	// UnmarshalBinaryPublicKey is CIRCL's §7.2 modulus check (and length check).
	encapsKey := func(ek []byte) (kem.PublicKey, error) {
		pk, err := s.UnmarshalBinaryPublicKey(ek)
		return pk, gomw.Refused(err)
	}
	// UnmarshalBinaryPrivateKey checks the length and the embedded H(ek) (§7.3).
	decapsKey := func(dk []byte) (kem.PrivateKey, error) {
		sk, err := s.UnmarshalBinaryPrivateKey(dk)
		return sk, gomw.Refused(err)
	}
	encaps := func(ek []byte, m []byte) (c, k []byte, err error) {
		pk, err := encapsKey(ek)
		if err != nil {
			return nil, nil, err
		}
		if m == nil {
			c, k, err = s.Encapsulate(pk)
		} else {
			c, k, err = s.EncapsulateDeterministically(pk, m)
		}
		return c, k, gomw.Refused(err)
	}
	return &gomw.KEM{
		Keygen: func(d, z []byte) ([]byte, []byte, error) {
			// DeriveKeyPair panics on a seed of the wrong size; the harness always sends 64 bytes.
			return pack(s.DeriveKeyPair(append(append([]byte{}, d...), z...)))
		},
		Encaps: func(ek, m []byte) ([]byte, []byte, error) {
			if err := gomw.WantLen("m", m, s.EncapsulationSeedSize()); err != nil {
				return nil, nil, err
			}
			return encaps(ek, m)
		},
		Decaps: func(dk, c []byte) ([]byte, error) {
			sk, err := decapsKey(dk)
			if err != nil {
				return nil, err
			}
			k, err := s.Decapsulate(sk, c)
			return k, gomw.Refused(err)
		},
		CheckEncapsKey: func(ek []byte) (bool, error) {
			_, err := s.UnmarshalBinaryPublicKey(ek)
			return err == nil, nil
		},
		CheckDecapsKey: func(dk []byte) (bool, error) {
			_, err := s.UnmarshalBinaryPrivateKey(dk)
			return err == nil, nil
		},
		KeygenRandom: func() ([]byte, []byte, error) {
			pk, sk, err := s.GenerateKeyPair()
			if err != nil {
				return nil, nil, err
			}
			return pack(pk, sk)
		},
		EncapsRandom: func(ek []byte) ([]byte, []byte, error) { return encaps(ek, nil) },
	}
}

func dsaOps(s sign.Scheme) *gomw.DSA {
	pack := func(pk sign.PublicKey, sk sign.PrivateKey) (pkb, skb []byte, err error) {
		if pkb, err = pk.MarshalBinary(); err != nil {
			return nil, nil, err
		}
		skb, err = sk.MarshalBinary()
		return pkb, skb, err
	}
	return &gomw.DSA{
		Keygen: func(xi []byte) ([]byte, []byte, error) {
			if err := gomw.WantLen("seed", xi, s.SeedSize()); err != nil {
				return nil, nil, err
			}
			return pack(s.DeriveKey(xi))
		},
		KeygenRandom: func() ([]byte, []byte, error) {
			pk, sk, err := s.GenerateKey()
			if err != nil {
				return nil, nil, err
			}
			return pack(pk, sk)
		},
		// Scheme.Sign is SignTo(..., randomized=false): rnd = 0³² (the gomw
		// table refuses any other rnd, OnlyDeterministic below).
		Sign: func(sk, msg, ctx, _ []byte) ([]byte, error) {
			if len(ctx) > 255 {
				return nil, gomw.Rejectf("context is %d bytes, at most 255", len(ctx))
			}
			key, err := s.UnmarshalBinaryPrivateKey(sk)
			if err != nil {
				return nil, gomw.Refused(err)
			}
			return s.Sign(key, msg, &sign.SignatureOpts{Context: string(ctx)}), nil
		},
		Verify: func(pk, msg, sig, ctx []byte) (bool, error) {
			key, err := s.UnmarshalBinaryPublicKey(pk)
			if err != nil {
				return false, gomw.Refused(err)
			}
			return s.Verify(key, msg, sig, &sign.SignatureOpts{Context: string(ctx)}), nil
		},
		OnlyDeterministic: true,
	}
}

func main() {
	gomw.Serve(gomw.Module{
		ID:      "go-circl",
		Name:    "Cloudflare CIRCL (Go)",
		Version: gomw.DepVersion(upstream),
		Notes: []string{
			"ML-DSA signs deterministically only (CIRCL's SignTo takes no rnd); no Sign_internal, external mu or HashML-DSA in the public API",
		},
		KEM: map[string]*gomw.KEM{
			"ML-KEM-512":  kemOps(mlkem512.Scheme()),
			"ML-KEM-768":  kemOps(mlkem768.Scheme()),
			"ML-KEM-1024": kemOps(mlkem1024.Scheme()),
		},
		DSA: map[string]*gomw.DSA{
			"ML-DSA-44": dsaOps(mldsa44.Scheme()),
			"ML-DSA-65": dsaOps(mldsa65.Scheme()),
			"ML-DSA-87": dsaOps(mldsa87.Scheme()),
		},
	})
}
