// Command protocompare fetches the c1.connector.v2 and c1.config.v1 schema a server publishes by gRPC reflection and
// compares it, element by element, with the descriptors compiled into baton-sdk (the upstream
// contract). Only wire-relevant facts are compared: message and enum full names, field numbers,
// kinds, cardinality, referenced types, oneof membership, enum numbers, and every method's path,
// types and streaming shape. Validation options and comments are not on the wire and are ignored.
//
// It prints one JSON document: what was compared and every difference found. Exit status 1 when a
// difference exists.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	_ "github.com/conductorone/baton-sdk/pb/c1/config/v1"
	_ "github.com/conductorone/baton-sdk/pb/c1/connector/v2"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// upstreamPackages are the packages our proto/ copies from baton-sdk: the connector protocol and the
// config schema its action messages use.
var upstreamPackages = []protoreflect.FullName{"c1.connector.v2", "c1.config.v1"}

type report struct {
	Packages    []protoreflect.FullName `json:"packages"`
	Files       int                     `json:"files"`
	Messages    int                     `json:"messages"`
	Enums       int                     `json:"enums"`
	Services    int                     `json:"services"`
	Methods     int                     `json:"methods"`
	Differences []string                `json:"differences"`
	// Upstream fields our .proto declares reserved instead (e.g. ones typed by PGV's validate.proto).
	Reserved []string `json:"reserved"`
}

func main() {
	addr := flag.String("addr", "", "server address, host:port, cleartext h2c (required)")
	flag.Parse()
	if *addr == "" {
		fmt.Fprintln(os.Stderr, "protocompare: -addr is required")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	conn, err := grpc.NewClient(*addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fail(err)
	}
	defer conn.Close()

	upstream := upstreamFiles()
	names := make([]string, 0, len(upstream))
	for _, f := range upstream {
		names = append(names, f.Path())
	}
	served, err := fetchServedFiles(ctx, conn, names)
	if err != nil {
		fail(err)
	}
	r := compare(upstream, served)
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		fail(err)
	}
	if len(r.Differences) > 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "protocompare:", err)
	os.Exit(1)
}

// upstreamFiles are baton-sdk's files of upstreamPackages, registered by importing its generated packages.
func upstreamFiles() []protoreflect.FileDescriptor {
	var files []protoreflect.FileDescriptor
	for _, pkg := range upstreamPackages {
		protoregistry.GlobalFiles.RangeFilesByPackage(pkg, func(f protoreflect.FileDescriptor) bool {
			files = append(files, f)
			return true
		})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path() < files[j].Path() })
	return files
}
