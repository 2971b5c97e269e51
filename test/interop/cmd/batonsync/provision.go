package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/conductorone/baton-sdk/pkg/connectorclient"
	"github.com/conductorone/baton-sdk/pkg/provisioner"
)

// provisionStep is one step of the provisioning session: a full sync, or one provisioner run.
type provisionStep struct {
	Name string `json:"name"`
	// "sync", "grant" or "revoke".
	Kind string `json:"kind"`
	// Every RPC the step sent, and the engine's warnings and errors while it ran.
	Calls      callStats  `json:"calls"`
	EngineLogs []logEntry `json:"engineLogs"`
	// Sync steps: the c1z, its -ids file, and the engine's own report.
	C1Z      string      `json:"c1z,omitempty"`
	IDs      string      `json:"ids,omitempty"`
	Sync     *syncResult `json:"sync,omitempty"`
	Contents *contents   `json:"contents,omitempty"`
	// Grant and Revoke steps: what each GrantManagerService call answered.
	RPCs  []rpcRecord `json:"rpcs,omitempty"`
	Error string      `json:"error,omitempty"`
}

type provisionReport struct {
	Entitlement   string          `json:"entitlement"`
	Principal     string          `json:"principal"`
	PrincipalType string          `json:"principalType"`
	Steps         []provisionStep `json:"steps"`
	Error         string          `json:"error,omitempty"`
}

// runProvision runs the session over one gRPC connection and one baton-sdk connector client, so the
// same client that provisions also syncs, as in a connector process run by ConductorOne:
//
//  1. a baseline sync: baton-sdk's provisioner reads the entitlement and the principal from a c1z,
//     exactly as `--grant-entitlement` does;
//  2. Grant through provisioner.NewGranter, then the same Grant again (GrantAlreadyExists expected);
//  3. a second sync, whose c1z must hold the grant;
//  4. Revoke through provisioner.NewRevoker of the grant id the Grant answered, read from that c1z
//     as `--revoke-grant` does, then again (GrantAlreadyRevoked expected);
//  5. a third sync, whose c1z must no longer hold it.
//
// A failed sync or first Grant/Revoke ends the session (later steps would prove nothing); the repeats
// are recorded and the session goes on. The runner judges the report.
func runProvision(ctx context.Context, o options) (*provisionReport, error) {
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return nil, err
	}
	conn, calls, err := dial(o.addr, o.tlsCA, o.bearerTokenFile)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	client := connectorclient.NewConnectorClient(ctx, conn)
	logs := newLogCapture()
	report := &provisionReport{Entitlement: o.grantEntitlement, Principal: o.grantPrincipal, PrincipalType: o.grantPrincipalType, Steps: []provisionStep{}}

	// step runs body and appends its record, with the calls and logs that happened meanwhile.
	step := func(name, kind string, body func(*provisionStep) error) error {
		s := provisionStep{Name: name, Kind: kind}
		callsBefore, logsBefore, rpcsBefore := calls.snapshot(), logs.count(), calls.provisioningCount()
		err := body(&s)
		s.Calls = calls.snapshot().minus(callsBefore)
		s.EngineLogs = logs.since(logsBefore)
		s.RPCs = calls.provisioningSince(rpcsBefore)
		if err != nil {
			s.Error = err.Error()
		}
		report.Steps = append(report.Steps, s)
		return err
	}
	syncStep := func(name string, n int) (string, error) {
		path := filepath.Join(o.out, fmt.Sprintf("sync-%d.c1z", n))
		err := step(name, "sync", func(s *provisionStep) error {
			one := o
			one.out, one.ids = path, filepath.Join(o.out, fmt.Sprintf("sync-%d.ids.jsonl", n))
			s.C1Z, s.IDs = one.out, one.ids
			result, err := runSync(ctx, client, one, logs)
			s.Sync = &result
			if err != nil {
				return err
			}
			s.Contents, err = readBack(ctx, one.out, one.ids)
			return err
		})
		return path, err
	}
	provisionerStep := func(name, kind string, p *provisioner.Provisioner) error {
		return step(name, kind, func(*provisionStep) error {
			runErr := p.Run(ctx)
			return errors.Join(runErr, p.Close(ctx))
		})
	}
	fail := func(err error) (*provisionReport, error) {
		report.Error = err.Error()
		return report, err
	}

	baseline, err := syncStep("baseline sync", 0)
	if err != nil {
		return fail(err)
	}
	granter := func() *provisioner.Provisioner {
		return provisioner.NewGranter(client, baseline, o.grantEntitlement, o.grantPrincipal, o.grantPrincipalType)
	}
	if err := provisionerStep("grant", "grant", granter()); err != nil {
		return fail(err)
	}
	grantID := grantedID(report.Steps[len(report.Steps)-1].RPCs)
	if grantID == "" {
		return fail(errors.New("the Grant response carried no grant id, so there is nothing to revoke"))
	}
	_ = provisionerStep("grant again", "grant", granter())
	granted, err := syncStep("sync after grant", 1)
	if err != nil {
		return fail(err)
	}
	if err := provisionerStep("revoke", "revoke", provisioner.NewRevoker(client, granted, grantID)); err != nil {
		return fail(err)
	}
	_ = provisionerStep("revoke again", "revoke", provisioner.NewRevoker(client, granted, grantID))
	if _, err := syncStep("sync after revoke", 2); err != nil {
		return fail(err)
	}
	return report, nil
}

// grantedID is the id of the one grant a successful Grant answered, or "".
func grantedID(rpcs []rpcRecord) string {
	if len(rpcs) != 1 || len(rpcs[0].Grants) != 1 {
		return ""
	}
	return rpcs[0].Grants[0].ID
}
