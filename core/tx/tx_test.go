package tx

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/vsys/vsys/core/address"
	"github.com/vsys/vsys/core/codec"
)

func testKey(b byte) ed25519.PrivateKey {
	seed := bytes.Repeat([]byte{b}, ed25519.SeedSize)
	return ed25519.NewKeyFromSeed(seed)
}

func sampleBody() Body {
	return Body{
		ChainID:  "test-1",
		Nonce:    7,
		GasLimit: 100_000,
		GasPrice: codec.NewU128(2),
		Calls: []Call{{
			Contract: address.Module(1),
			Method:   "send",
			Args:     []byte{0xaa, 0xbb},
			Funds:    []Coin{{Token: "VSYS", Amount: codec.NewU128(5)}},
		}},
	}
}

// TestGoldenTx pins the encoding, hash and signature of one tx. ed25519
// signatures are deterministic, so the whole tx is a fixed vector; a change
// here is a consensus break and must be deliberate.
func TestGoldenTx(t *testing.T) {
	tx, err := Sign(sampleBody(), testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	const wantBytes = "06000000746573742d31200000008a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c0700000000000000a086010000000000020000000000000000000000000000000100000000000000000000000000000000000000000000010400000073656e6402000000aabb01000000040000005653595305000000000000000000000000000000400000008136ca84babf66490e09217bc812eaf95082d1ad13c00cb7214dea529a8a41dc99886c419cf461ffbba6faeadd6559a050f00ba83562d8eb5de1a6f1fbcc8b0e"
	const wantHash = "b1e26c872f71d8f01fb1bbae17a20d2e3433a8563c4dbbe5c6b3437d18102ac7"
	if got := hex.EncodeToString(tx.Bytes()); got != wantBytes {
		t.Errorf("bytes:\n got %s\nwant %s", got, wantBytes)
	}
	h := tx.Hash()
	if got := hex.EncodeToString(h[:]); got != wantHash {
		t.Errorf("hash: got %s want %s", got, wantHash)
	}
	if err := tx.VerifySignature(); err != nil {
		t.Fatal(err)
	}
	if tx.Sender() != address.FromPubKey(testKey(1).Public().(ed25519.PublicKey)) {
		t.Fatal("sender is not the signer's address")
	}
}

func TestRoundTrip(t *testing.T) {
	signed, err := Sign(sampleBody(), testKey(2))
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(append([]byte(nil), signed.Bytes()...))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(EncodeBody(&back.Body), signed.Bytes()[:signed.bodyLen]) {
		t.Fatal("re-encoded body differs")
	}
	if back.Hash() != signed.Hash() || back.VerifySignature() != nil {
		t.Fatal("decoded tx differs from signed tx")
	}
}

func TestSignatureChecks(t *testing.T) {
	signed, _ := Sign(sampleBody(), testKey(3))
	raw := append([]byte(nil), signed.Bytes()...)
	raw[len(raw)-1] ^= 0x01 // flip a signature bit
	bad, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.VerifySignature(); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("flipped signature: %v", err)
	}
	// A body signed by one key but claiming another key's pubkey.
	body := sampleBody()
	body.PubKey = testKey(4).Public().(ed25519.PublicKey)
	if _, err := Sign(body, testKey(5)); err == nil {
		t.Fatal("Sign must refuse a mismatched pubkey")
	}
	zero, err := WithSignature(body, make([]byte, SignatureLen))
	if err != nil {
		t.Fatal(err)
	}
	if err := zero.VerifySignature(); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("zero signature verified: %v", err)
	}
}

func TestDecodeRejects(t *testing.T) {
	good, _ := Sign(sampleBody(), testKey(6))
	g := good.Bytes()
	mutate := func(f func(b *Body)) []byte {
		body := sampleBody()
		body.PubKey = testKey(6).Public().(ed25519.PublicKey)
		f(&body)
		w := codec.NewWriter(0)
		w.Fixed(EncodeBody(&body))
		w.Blob(make([]byte, SignatureLen))
		return w.Bytes()
	}
	manyCalls := make([]Call, MaxCalls+1)
	for i := range manyCalls {
		manyCalls[i] = Call{Method: "m"}
	}
	cases := map[string][]byte{
		"empty":           nil,
		"truncated":       g[:len(g)-1],
		"trailing byte":   append(append([]byte(nil), g...), 0),
		"short pubkey":    mutate(func(b *Body) { b.PubKey = b.PubKey[:31] }),
		"empty chain id":  mutate(func(b *Body) { b.ChainID = "" }),
		"no calls":        mutate(func(b *Body) { b.Calls = nil }),
		"too many calls":  mutate(func(b *Body) { b.Calls = manyCalls }),
		"empty method":    mutate(func(b *Body) { b.Calls[0].Method = "" }),
		"zero funds":      mutate(func(b *Body) { b.Calls[0].Funds[0].Amount = codec.U128{} }),
		"huge call count": append(g[:4+6+4+32+8+8+16:4+6+4+32+8+8+16], 0xff, 0xff, 0xff, 0x7f),
	}
	for name, b := range cases {
		if _, err := Decode(b); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	good, _ := Sign(sampleBody(), testKey(7))
	f.Add(good.Bytes())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		in := append([]byte(nil), b...)
		tx, err := Decode(in)
		if err != nil {
			return
		}
		// Accepted input must be canonical: re-encoding gives the same bytes.
		w := codec.NewWriter(len(b))
		w.Fixed(EncodeBody(&tx.Body))
		w.Blob(tx.Signature)
		if !bytes.Equal(w.Bytes(), b) {
			t.Fatalf("accepted non-canonical tx %x", b)
		}
	})
}

func BenchmarkDecodeVerify(b *testing.B) {
	good, _ := Sign(sampleBody(), testKey(8))
	raw := good.Bytes()
	for i := 0; i < b.N; i++ {
		tx, err := Decode(raw)
		if err != nil {
			b.Fatal(err)
		}
		if err := tx.VerifySignature(); err != nil {
			b.Fatal(err)
		}
	}
}

// stdlibAgrees checks VerifySignature against crypto/ed25519 for one
// (pubkey, body bytes, signature).
func stdlibAgrees(t *testing.T, pub, msg, sig []byte) {
	t.Helper()
	tx := &Tx{Body: Body{PubKey: pub}, Signature: sig, raw: msg, bodyLen: len(msg)}
	std := len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, tx.SignBytes(), sig)
	ours := tx.VerifySignature() == nil
	if std != ours {
		t.Fatalf("stdlib says %v, vsys says %v\npub %x\nsig %x", std, ours, pub, sig)
	}
}

// TestVerifyEdgeCases: signatures the two libraries are known to treat
// specially (non-canonical S, small-order and non-canonical keys, the
// identity point) get the standard library's verdict.
func TestVerifyEdgeCases(t *testing.T) {
	key := testKey(9)
	msg := []byte("edge")
	good := ed25519.Sign(key, append([]byte(signDomain), msg...))
	pub := []byte(key.Public().(ed25519.PublicKey))
	l := []byte{0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10} // the group order, little-endian
	sPlusL := append([]byte(nil), good...)
	var carry uint16
	for i := 0; i < 32; i++ {
		v := uint16(sPlusL[32+i]) + uint16(l[i]) + carry
		sPlusL[32+i], carry = byte(v), v>>8
	}
	identity := make([]byte, 32)
	identity[0] = 1
	smallOrder, _ := hex.DecodeString("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa") // order 8
	nonCanonicalY, _ := hex.DecodeString("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	zeroSig := make([]byte, 64)
	for name, c := range map[string][2][]byte{
		"good":             {pub, good},
		"s + L":            {pub, sPlusL},
		"identity key":     {identity, zeroSig},
		"small-order key":  {smallOrder, zeroSig},
		"non-canonical y":  {nonCanonicalY, good},
		"zero key":         {make([]byte, 32), good},
		"short pubkey":     {pub[:31], good},
		"identity R, S=0":  {identity, append(append([]byte(nil), identity...), make([]byte, 32)...)},
		"flipped sig byte": {pub, append(append([]byte(nil), good[:10]...), append([]byte{good[10] ^ 1}, good[11:]...)...)},
	} {
		t.Run(name, func(t *testing.T) { stdlibAgrees(t, c[0], msg, c[1]) })
	}
	verdict := func(pub, sig []byte) bool {
		return (&Tx{Body: Body{PubKey: pub}, Signature: sig, raw: msg, bodyLen: len(msg)}).VerifySignature() == nil
	}
	if !verdict(pub, good) || verdict(pub, sPlusL) {
		t.Fatal("a good signature must verify and its s+L twin must not")
	}
}

// FuzzVerifyMatchesStdlib: for any pubkey, message and signature, vsys
// accepts exactly what crypto/ed25519 accepts. A difference would let a
// tx be valid on one node and invalid on another built differently.
func FuzzVerifyMatchesStdlib(f *testing.F) {
	key := testKey(10)
	msg := []byte("fuzz")
	f.Add([]byte(key.Public().(ed25519.PublicKey)), msg, ed25519.Sign(key, append([]byte(signDomain), msg...)))
	f.Fuzz(func(t *testing.T, pub, msg, sig []byte) {
		if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
			return
		}
		stdlibAgrees(t, pub, msg, sig)
	})
}
