package animeceleb_test

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/animeceleb/animeceleb/clients/go/animeceleb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// A server with TLS (clients/testdata/localhost.crt, self-signed for 127.0.0.1) and a token:
// the token and the certificate open it, a missing or wrong token is UNAUTHENTICATED.
func TestTLSAndToken(t *testing.T) {
	testdata := filepath.Join(repoRoot(), "clients", "testdata")
	pem, err := os.ReadFile(filepath.Join(testdata, "localhost.crt"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatal("no certificate in localhost.crt")
	}
	tc := &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	const token = "s3cret-for-tests"
	s, err := startServerTLS(tc, "--token", token,
		"--tls-cert", filepath.Join(testdata, "localhost.crt"), "--tls-key", filepath.Join(testdata, "localhost.key"))
	if err != nil {
		t.Fatalf("starting the TLS server: %v", err)
	}
	t.Cleanup(s.stop)

	listWith := func(opts ...animeceleb.Option) error {
		c, err := animeceleb.Connect(s.addr, opts...)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		models, err := c.ListModels(testContext(t))
		if err == nil && len(models) != 1 {
			t.Fatalf("%d models", len(models))
		}
		return err
	}
	if err := listWith(animeceleb.WithTLS(tc), animeceleb.WithToken(token)); err != nil {
		t.Fatalf("TLS with the token: %v", err)
	}
	// A list is checked address by address against its own host name (the certificate has
	// both): "localhost" for one, "127.0.0.1" for the other.
	_, port, _ := net.SplitHostPort(s.addr)
	c, err := animeceleb.Connect("localhost:"+port+","+s.addr, animeceleb.WithTLS(tc), animeceleb.WithToken(token))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 4 {
		if _, err := c.ListModels(testContext(t)); err != nil {
			t.Fatalf("TLS to a list, call %d: %v", i, err)
		}
	}
	if err := listWith(animeceleb.WithTLS(tc)); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("no token: %v, want UNAUTHENTICATED", err)
	}
	if err := listWith(animeceleb.WithTLS(tc), animeceleb.WithToken("wrong")); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("wrong token: %v, want UNAUTHENTICATED", err)
	}
	// Plain text to a TLS port fails to connect at all.
	if err := listWith(animeceleb.WithToken(token)); status.Code(err) != codes.Unavailable {
		t.Fatalf("plain text to TLS: %v, want UNAVAILABLE", err)
	}
}
