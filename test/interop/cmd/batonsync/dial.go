package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

// callCounter counts the RPCs the engine sends, by full method name, so the report can say how the
// engine drove the connector (one ListGrants per resource page, and so on). It also keeps what each
// GrantManagerService call answered: baton-sdk's provisioner drops the response, and the checks need
// the grant ids and annotations the connector sent back.
type callCounter struct {
	mu           sync.Mutex
	counts       map[string]int
	errors       map[string]int
	provisioning []rpcRecord
}

func (c *callCounter) record(method string, reply any, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[method]++
	if err != nil {
		c.errors[method]++
	}
	if rec, ok := recordProvisioning(method, reply, err); ok {
		c.provisioning = append(c.provisioning, rec)
	}
}

// provisioningSince returns the GrantManagerService calls recorded after the first n.
func (c *callCounter) provisioningSince(n int) []rpcRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]rpcRecord{}, c.provisioning[min(n, len(c.provisioning)):]...)
}

func (c *callCounter) provisioningCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.provisioning)
}

func (c *callCounter) snapshot() callStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := callStats{ByMethod: map[string]int{}, Errors: map[string]int{}}
	for method, n := range c.counts {
		s.ByMethod[method] = n
		s.Total += n
	}
	for method, n := range c.errors {
		s.Errors[method] = n
	}
	return s
}

type callStats struct {
	Total    int            `json:"total"`
	ByMethod map[string]int `json:"byMethod"`
	Errors   map[string]int `json:"errors"`
}

// minus returns the calls made since `before` was taken, for one step of a longer session.
func (s callStats) minus(before callStats) callStats {
	d := callStats{ByMethod: map[string]int{}, Errors: map[string]int{}, Total: s.Total - before.Total}
	for method, n := range s.ByMethod {
		if n -= before.ByMethod[method]; n > 0 {
			d.ByMethod[method] = n
		}
	}
	for method, n := range s.Errors {
		if n -= before.Errors[method]; n > 0 {
			d.Errors[method] = n
		}
	}
	return d
}

// bearerCredentials sends `authorization: Bearer …` on every call, as a caller of a connector
// started with --auth-token-file must.
type bearerCredentials struct{ token string }

func (b bearerCredentials) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.token}, nil
}

func (bearerCredentials) RequireTransportSecurity() bool { return true }

// dial builds a lazily connecting client (grpc.NewClient), cleartext h2c unless a CA is given.
func dial(addr, caFile, tokenFile string) (*grpc.ClientConn, *callCounter, error) {
	counter := &callCounter{counts: map[string]int{}, errors: map[string]int{}}
	opts := []grpc.DialOption{
		grpc.WithChainUnaryInterceptor(func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, callOpts ...grpc.CallOption) error {
			err := invoker(ctx, method, req, reply, cc, callOpts...)
			counter.record(method, reply, err)
			return err
		}),
	}
	if caFile == "" {
		if tokenFile != "" {
			return nil, nil, fmt.Errorf("-bearer-token-file needs -tls-ca: grpc-go sends per-call credentials only over TLS")
		}
		opts = append(opts, grpc.WithTransportCredentials(insecure.NewCredentials()))
	} else {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, nil, fmt.Errorf("reading -tls-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, nil, fmt.Errorf("-tls-ca %s holds no PEM certificate", caFile)
		}
		opts = append(opts, grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})))
	}
	if tokenFile != "" {
		raw, err := os.ReadFile(tokenFile)
		if err != nil {
			return nil, nil, fmt.Errorf("reading -bearer-token-file: %w", err)
		}
		opts = append(opts, grpc.WithPerRPCCredentials(bearerCredentials{token: strings.TrimSpace(string(raw))}))
	}
	conn, err := grpc.NewClient(addr, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("grpc.NewClient(%s): %w", addr, err)
	}
	return conn, counter, nil
}
