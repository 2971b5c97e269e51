package main

import (
	"strings"

	v2 "github.com/conductorone/baton-sdk/pb/c1/connector/v2"
	"github.com/conductorone/baton-sdk/pkg/annotations"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"
)

const (
	grantMethod  = "/c1.connector.v2.GrantManagerService/Grant"
	revokeMethod = "/c1.connector.v2.GrantManagerService/Revoke"
)

// rpcRecord is what one Grant or Revoke answered, as the connector client received it.
type rpcRecord struct {
	Method string `json:"method"`
	// The gRPC code name and message of a failure; empty on success.
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	// Grants in a Grant response.
	Grants []grantRecord `json:"grants,omitempty"`
	// Full message names of the response annotations (`c1.connector.v2.GrantAlreadyExists`).
	Annotations []string `json:"annotations"`
	// As baton-sdk's own annotations.Contains reads them.
	AlreadyExists  bool `json:"alreadyExists"`
	AlreadyRevoked bool `json:"alreadyRevoked"`
}

type grantRecord struct {
	ID          string `json:"id"`
	Entitlement string `json:"entitlement"`
	Principal   string `json:"principal"`
}

// recordProvisioning describes a GrantManagerService reply; ok is false for every other method.
func recordProvisioning(method string, reply any, err error) (rpcRecord, bool) {
	if method != grantMethod && method != revokeMethod {
		return rpcRecord{}, false
	}
	rec := rpcRecord{Method: method, Annotations: []string{}}
	if err != nil {
		st := status.Convert(err)
		rec.Code, rec.Message = st.Code().String(), st.Message()
		return rec, true
	}
	var annos []*anypb.Any
	switch r := reply.(type) {
	case *v2.GrantManagerServiceGrantResponse:
		annos = r.GetAnnotations()
		for _, g := range r.GetGrants() {
			rec.Grants = append(rec.Grants, grantRecord{ID: g.GetId(), Entitlement: g.GetEntitlement().GetId(), Principal: resourceKey(g.GetPrincipal().GetId())})
		}
	case *v2.GrantManagerServiceRevokeResponse:
		annos = r.GetAnnotations()
	}
	for _, a := range annos {
		rec.Annotations = append(rec.Annotations, a.GetTypeUrl()[strings.LastIndex(a.GetTypeUrl(), "/")+1:])
	}
	list := annotations.Annotations(annos)
	rec.AlreadyExists = list.Contains(&v2.GrantAlreadyExists{})
	rec.AlreadyRevoked = list.Contains(&v2.GrantAlreadyRevoked{})
	return rec, true
}
