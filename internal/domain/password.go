package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters (OWASP's minimum for argon2id: 19 MiB, 2 passes).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 8

// CheckPassword returns an EINVALID error for a password too short.
func CheckPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return Errorf(EINVALID, "password.too_short", "min", MinPasswordLen).WithField("password")
	}
	return nil
}

// HashPassword returns the PHC string of pw under argon2id with a fresh salt.
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// dummyHash is verified against when a login is unknown, so that an
// unknown login and a wrong password take the same time. It is a fixed
// string (same parameters as HashPassword), so nothing runs at start-up.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$eifIM9X6CURR+plovyqdJA$UTcRFYAXmAzPE6tzaMPkwgfFTiLKLlLJ6MrHh6u6g6s"

// VerifyPassword reports whether pw matches the PHC string hash. An empty
// hash (unknown user) is checked against a dummy and never matches.
func VerifyPassword(hash, pw string) bool {
	real := hash != ""
	if !real {
		hash = dummyHash
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1 && real
}

// NewSecret returns a random token: prefix + 32 characters of base32
// (160 bits). Only its hash is stored.
func NewSecret(prefix string) string {
	b := make([]byte, 20)
	rand.Read(b)
	return prefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// HashSecret is how session ids and API tokens are stored.
func HashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
