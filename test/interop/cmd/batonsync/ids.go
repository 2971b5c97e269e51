package main

import (
	"bufio"
	"encoding/json"
	"os"
)

// idLine is one record of the -ids file, for exact comparison with the simulator's ground truth.
type idLine struct {
	Kind        string          `json:"kind"`
	ID          string          `json:"id"`
	Entitlement string          `json:"entitlement,omitempty"`
	Principal   string          `json:"principal,omitempty"`
	Expandable  []string        `json:"expandable,omitempty"`
	Shallow     bool            `json:"shallow,omitempty"`
	Sources     map[string]bool `json:"sources,omitempty"`
	Immutable   bool            `json:"immutable,omitempty"`
	User        *userPosture    `json:"user,omitempty"`
}

// userPosture is what a user resource's UserTrait says about the account, as baton-sdk stored it.
type userPosture struct {
	StatusDetails string `json:"statusDetails"`
	AccountType   string `json:"accountType"`
	// Nil when the trait carries no mfa_status (unknown).
	MfaEnabled *bool `json:"mfaEnabled"`
}

type idWriter struct {
	file *os.File
	buf  *bufio.Writer
	enc  *json.Encoder
}

func newIDWriter(path string) (*idWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriterSize(f, 1<<20)
	return &idWriter{file: f, buf: buf, enc: json.NewEncoder(buf)}, nil
}

// write is a no-op on a nil writer, so callers need not check whether -ids was given.
func (w *idWriter) write(line idLine) error {
	if w == nil {
		return nil
	}
	return w.enc.Encode(line)
}

func (w *idWriter) close() error {
	if w == nil || w.file == nil {
		return nil
	}
	err := w.buf.Flush()
	if closeErr := w.file.Close(); err == nil {
		err = closeErr
	}
	w.file = nil
	return err
}
