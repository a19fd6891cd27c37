package gomw

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"
)

// KEM is what a library can do for one ML-KEM parameter set. A nil function is
// an operation the library cannot express: it is left out of getConfig, and the
// harness skips the cases that need it with a reason.
type KEM struct {
	Keygen         func(d, z []byte) (ek, dk []byte, err error) // KeyGen_internal(d, z)
	Encaps         func(ek, m []byte) (c, k []byte, err error)  // Encaps_internal(ek, m), with the §7.2 check
	Decaps         func(dk, c []byte) (k []byte, err error)
	CheckEncapsKey func(ek []byte) (bool, error) // FIPS 203 §7.2
	CheckDecapsKey func(dk []byte) (bool, error) // FIPS 203 §7.3
	KeygenRandom   func() (ek, dk []byte, err error)
	EncapsRandom   func(ek []byte) (c, k []byte, err error)
}

// DSA is what a library can do for one ML-DSA parameter set (nil = absent).
// rnd is always 32 bytes; deterministic signing is rnd = 32 zero bytes.
type DSA struct {
	Keygen         func(xi []byte) (pk, sk []byte, err error)
	KeygenRandom   func() (pk, sk []byte, err error)
	Sign           func(sk, msg, ctx, rnd []byte) ([]byte, error) // external, pure
	SignInternal   func(sk, mPrime, rnd []byte) ([]byte, error)
	SignMu         func(sk, mu, rnd []byte) ([]byte, error)
	Verify         func(pk, msg, sig, ctx []byte) (bool, error)
	VerifyInternal func(pk, mPrime, sig []byte) (bool, error)
	VerifyMu       func(pk, mu, sig []byte) (bool, error)
	// OnlyDeterministic: the library signs with rnd = 0³² or with randomness of
	// its own, never with a given rnd; a non-zero rnd is then unsupported.
	OnlyDeterministic bool
}

// Module is one wrapper: who it is and what it offers per parameter set.
type Module struct {
	ID, Name, Version string
	Notes             []string
	KEM               map[string]*KEM // by parameter set, "ML-KEM-768"
	DSA               map[string]*DSA // by parameter set, "ML-DSA-65"
}

var (
	kemParams = []string{"ML-KEM-512", "ML-KEM-768", "ML-KEM-1024"}
	dsaParams = []string{"ML-DSA-44", "ML-DSA-65", "ML-DSA-87"}
)

// errorKind is the second string of a ["pqc-harness/error", kind, message] response.
type errorKind string

type refusal struct {
	kind errorKind
	msg  string
}

func (r *refusal) Error() string { return r.msg }

// Rejectf: the library refused the input (wrong length, invalid key, context too long).
func Rejectf(format string, a ...any) error {
	return &refusal{"rejected", fmt.Sprintf(format, a...)}
}

// Unsupportedf: the library cannot do this by design (the harness records a skip).
func Unsupportedf(format string, a ...any) error {
	return &refusal{"unsupported", fmt.Sprintf(format, a...)}
}

// Refused turns a library's error for bad input into a rejection (nil stays nil).
func Refused(err error) error {
	if err == nil {
		return nil
	}
	var r *refusal
	if errors.As(err, &r) {
		return err
	}
	return &refusal{"rejected", err.Error()}
}

// WantLen rejects b unless it is n bytes long: for APIs that panic on a wrong length.
func WantLen(what string, b []byte, n int) error {
	if len(b) != n {
		return Rejectf("%s must be %d bytes, got %d", what, n, len(b))
	}
	return nil
}

// handler answers one command; args exclude the command name.
type handler struct {
	arity int
	run   func(a [][]byte) ([][]byte, error)
}

func flag(ok bool, err error) ([][]byte, error) {
	if err != nil {
		return nil, err
	}
	if ok {
		return [][]byte{{1}}, nil
	}
	return [][]byte{{0}}, nil
}

func pair(x, y []byte, err error) ([][]byte, error) {
	if err != nil {
		return nil, err
	}
	return [][]byte{x, y}, nil
}

func one(x []byte, err error) ([][]byte, error) {
	if err != nil {
		return nil, err
	}
	return [][]byte{x}, nil
}

// rnd32 is the randomizer acvptool sends: 32 bytes, or empty for deterministic.
func rnd32(rnd []byte) ([]byte, error) {
	if len(rnd) == 0 {
		return make([]byte, 32), nil
	}
	return rnd, WantLen("rnd", rnd, 32)
}

// commands builds the command table and getConfig of a module.
func (m *Module) commands() (map[string]handler, []any) {
	cmds := map[string]handler{}
	var config, features []any
	for _, ps := range kemParams {
		k := m.KEM[ps]
		if k == nil {
			continue
		}
		addKEM(cmds, &config, &features, ps, k)
	}
	for _, ps := range dsaParams {
		d := m.DSA[ps]
		if d == nil {
			continue
		}
		addDSA(cmds, &config, &features, ps, d)
	}
	features = append(features, describeCommand)
	config = append(config, map[string]any{"algorithm": "pqc-harness", "revision": "1", "features": features})
	return cmds, config
}

func addKEM(cmds map[string]handler, config, features *[]any, ps string, k *KEM) {
	if k.Keygen != nil {
		cmds[ps+"/keyGen"] = handler{1, func(a [][]byte) ([][]byte, error) {
			if err := WantLen("ML-KEM keyGen seed d‖z", a[0], 64); err != nil {
				return nil, err
			}
			return pair(k.Keygen(a[0][:32], a[0][32:]))
		}}
		*config = append(*config, map[string]any{"algorithm": "ML-KEM", "mode": "keyGen", "revision": "FIPS203", "parameterSets": []string{ps}})
	}
	var fns []string
	if k.Encaps != nil {
		fns = append(fns, "encapsulation")
		cmds[ps+"/encap"] = handler{2, func(a [][]byte) ([][]byte, error) { return pair(k.Encaps(a[0], a[1])) }}
	}
	if k.Decaps != nil {
		fns = append(fns, "decapsulation")
		cmds[ps+"/decap"] = handler{2, func(a [][]byte) ([][]byte, error) { return one(k.Decaps(a[0], a[1])) }}
	}
	if k.CheckEncapsKey != nil {
		fns = append(fns, "encapsulationKeyCheck")
		cmds[ps+"/encapKeyCheck"] = handler{1, func(a [][]byte) ([][]byte, error) { return flag(k.CheckEncapsKey(a[0])) }}
	}
	if k.CheckDecapsKey != nil {
		fns = append(fns, "decapsulationKeyCheck")
		cmds[ps+"/decapKeyCheck"] = handler{1, func(a [][]byte) ([][]byte, error) { return flag(k.CheckDecapsKey(a[0])) }}
	}
	if fns != nil {
		*config = append(*config, map[string]any{"algorithm": "ML-KEM", "mode": "encapDecap", "revision": "FIPS203", "parameterSets": []string{ps}, "functions": fns})
	}
	if k.KeygenRandom != nil {
		ext(cmds, features, ps+"/keyGen/random", 0, func(a [][]byte) ([][]byte, error) { return pair(k.KeygenRandom()) })
	}
	if k.EncapsRandom != nil {
		ext(cmds, features, ps+"/encap/random", 1, func(a [][]byte) ([][]byte, error) { return pair(k.EncapsRandom(a[0])) })
	}
}

func ext(cmds map[string]handler, features *[]any, name string, arity int, run func(a [][]byte) ([][]byte, error)) {
	cmds[name] = handler{arity, run}
	*features = append(*features, name)
}

func addDSA(cmds map[string]handler, config, features *[]any, ps string, d *DSA) {
	if d.Keygen != nil {
		cmds[ps+"/keyGen"] = handler{1, func(a [][]byte) ([][]byte, error) { return pair(d.Keygen(a[0])) }}
		*config = append(*config, map[string]any{"algorithm": "ML-DSA", "mode": "keyGen", "revision": "FIPS204", "parameterSets": []string{ps}})
	}
	if d.KeygenRandom != nil {
		ext(cmds, features, ps+"/keyGen/random", 0, func(a [][]byte) ([][]byte, error) { return pair(d.KeygenRandom()) })
	}
	// rnd passes this check before any signing function sees it.
	rndFor := func(rnd []byte) ([]byte, error) {
		r, err := rnd32(rnd)
		if err == nil && d.OnlyDeterministic && !bytes.Equal(r, make([]byte, 32)) {
			err = Unsupportedf("this library signs with rnd = 32 zero bytes or with randomness of its own, never with a given rnd")
		}
		return r, err
	}
	sign := func(s func(r []byte) ([]byte, error), rnd []byte) ([][]byte, error) {
		r, err := rndFor(rnd)
		if err != nil {
			return nil, err
		}
		return one(s(r))
	}
	if d.Sign != nil {
		ext(cmds, features, ps+"/sigGen/external", 4, func(a [][]byte) ([][]byte, error) {
			return sign(func(r []byte) ([]byte, error) { return d.Sign(a[0], a[1], a[2], r) }, a[3])
		})
	}
	if d.SignInternal != nil {
		ext(cmds, features, ps+"/sigGen/internal", 3, func(a [][]byte) ([][]byte, error) {
			return sign(func(r []byte) ([]byte, error) { return d.SignInternal(a[0], a[1], r) }, a[2])
		})
	}
	if d.SignMu != nil {
		ext(cmds, features, ps+"/sigGen/mu", 3, func(a [][]byte) ([][]byte, error) {
			return sign(func(r []byte) ([]byte, error) { return d.SignMu(a[0], a[1], r) }, a[2])
		})
	}
	if d.Verify != nil {
		ext(cmds, features, ps+"/sigVer/external", 4, func(a [][]byte) ([][]byte, error) { return flag(d.Verify(a[0], a[1], a[2], a[3])) })
	}
	if d.VerifyInternal != nil {
		ext(cmds, features, ps+"/sigVer/internal", 3, func(a [][]byte) ([][]byte, error) { return flag(d.VerifyInternal(a[0], a[1], a[2])) })
	}
	if d.VerifyMu != nil {
		ext(cmds, features, ps+"/sigVer/mu", 3, func(a [][]byte) ([][]byte, error) { return flag(d.VerifyMu(a[0], a[1], a[2])) })
	}
	addStandardDSA(cmds, config, ps, d, sign)
}

// addStandardDSA serves acvptool's own sigGen (sk, message, rnd, context, mu)
// and sigVer (pk, message, signature, context, mu), declaring one interface as
// the harness's child does: `external` when the library signs pure messages,
// else `internal`; a non-empty mu means external mu.
func addStandardDSA(cmds map[string]handler, config *[]any, ps string, d *DSA, sign func(func([]byte) ([]byte, error), []byte) ([][]byte, error)) {
	iface := func(external bool) []string {
		if external {
			return []string{"external"}
		}
		return []string{"internal"}
	}
	mu := func(has bool) []bool {
		if has {
			return []bool{true, false}
		}
		return []bool{false}
	}
	if d.Sign != nil || d.SignInternal != nil || d.SignMu != nil {
		det := []bool{true, false}
		if d.OnlyDeterministic {
			det = []bool{true}
		}
		*config = append(*config, map[string]any{
			"algorithm": "ML-DSA", "mode": "sigGen", "revision": "FIPS204",
			"capabilities":        []any{map[string]any{"parameterSets": []string{ps}}},
			"signatureInterfaces": iface(d.Sign != nil),
			"externalMu":          mu(d.SignMu != nil), "preHash": []string{"pure"}, "deterministic": det,
		})
		cmds[ps+"/sigGen"] = handler{5, func(a [][]byte) ([][]byte, error) {
			sk, msg, rnd, ctx, mu := a[0], a[1], a[2], a[3], a[4]
			switch {
			case len(mu) > 0 && d.SignMu != nil:
				return sign(func(r []byte) ([]byte, error) { return d.SignMu(sk, mu, r) }, rnd)
			case len(mu) > 0:
				return nil, Unsupportedf("this library cannot sign an external mu")
			case d.Sign != nil:
				return sign(func(r []byte) ([]byte, error) { return d.Sign(sk, msg, ctx, r) }, rnd)
			case d.SignInternal != nil && len(ctx) == 0:
				return sign(func(r []byte) ([]byte, error) { return d.SignInternal(sk, msg, r) }, rnd)
			case d.SignInternal != nil:
				return nil, Rejectf("a context string was sent to an internal-interface sigGen")
			}
			return nil, Unsupportedf("this library signs external mu only")
		}}
	}
	if d.Verify != nil || d.VerifyInternal != nil || d.VerifyMu != nil {
		*config = append(*config, map[string]any{
			"algorithm": "ML-DSA", "mode": "sigVer", "revision": "FIPS204",
			"capabilities":        []any{map[string]any{"parameterSets": []string{ps}}},
			"signatureInterfaces": iface(d.Verify != nil),
			"externalMu":          mu(d.VerifyMu != nil), "preHash": []string{"pure"},
		})
		cmds[ps+"/sigVer"] = handler{5, func(a [][]byte) ([][]byte, error) {
			pk, msg, sig, ctx, mu := a[0], a[1], a[2], a[3], a[4]
			switch {
			case len(mu) > 0 && d.VerifyMu != nil:
				return flag(d.VerifyMu(pk, mu, sig))
			case len(mu) > 0:
				return nil, Unsupportedf("this library cannot verify against an external mu")
			case d.Verify != nil:
				return flag(d.Verify(pk, msg, sig, ctx))
			case d.VerifyInternal != nil && len(ctx) == 0:
				return flag(d.VerifyInternal(pk, msg, sig))
			case d.VerifyInternal != nil:
				return nil, Rejectf("a context string was sent to an internal-interface sigVer")
			}
			return nil, Unsupportedf("this library verifies external mu only")
		}}
	}
}

// DepVersion is the version of the module `path` this binary was built with
// (go.sum pins it), for describe().
func DepVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path == path {
				return dep.Version
			}
		}
	}
	return "unknown"
}
