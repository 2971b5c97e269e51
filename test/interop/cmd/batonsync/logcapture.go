package main

import (
	"fmt"
	"strings"
	"sync"

	"go.uber.org/zap/zapcore"
)

// logEntry is one engine log line kept for the summary.
type logEntry struct {
	Level   string `json:"level"`
	Message string `json:"message"`
	Fields  string `json:"fields,omitempty"`
}

// logCapture is a zap core teed onto baton-sdk's logger. Whatever the console level, it keeps every
// warning and error, and the engine's ingest-invariant notes (the SQLite engine says at info level
// that it skips the referential invariants), so the runner can assert on them.
type logCapture struct {
	mu      *sync.Mutex
	entries *[]logEntry
	fields  []zapcore.Field
}

func newLogCapture() *logCapture {
	return &logCapture{mu: &sync.Mutex{}, entries: &[]logEntry{}}
}

func keep(entry zapcore.Entry) bool {
	return entry.Level >= zapcore.WarnLevel || strings.Contains(entry.Message, "invariant")
}

func (c *logCapture) Enabled(level zapcore.Level) bool { return level >= zapcore.InfoLevel }

func (c *logCapture) With(fields []zapcore.Field) zapcore.Core {
	return &logCapture{mu: c.mu, entries: c.entries, fields: append(append([]zapcore.Field{}, c.fields...), fields...)}
}

func (c *logCapture) Check(entry zapcore.Entry, checked *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(entry.Level) && keep(entry) {
		return checked.AddCore(entry, c)
	}
	return checked
}

func (c *logCapture) Write(entry zapcore.Entry, fields []zapcore.Field) error {
	enc := zapcore.NewMapObjectEncoder()
	for _, f := range append(append([]zapcore.Field{}, c.fields...), fields...) {
		f.AddTo(enc)
	}
	parts := make([]string, 0, len(enc.Fields))
	for k, v := range enc.Fields {
		parts = append(parts, k+"="+strings.TrimSpace(strings.ReplaceAll(fmt.Sprint(v), "\n", " ")))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	*c.entries = append(*c.entries, logEntry{Level: entry.Level.String(), Message: entry.Message, Fields: strings.Join(parts, " ")})
	return nil
}

func (c *logCapture) Sync() error { return nil }

func (c *logCapture) snapshot() []logEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]logEntry{}, *c.entries...)
}

// since returns the entries kept after the first n, for one step of a longer session.
func (c *logCapture) since(n int) []logEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]logEntry{}, (*c.entries)[min(n, len(*c.entries)):]...)
}

func (c *logCapture) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(*c.entries)
}
